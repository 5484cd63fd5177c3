using System.ComponentModel.DataAnnotations;
using StreamSpace.Domain.Common;

namespace StreamSpace.Infrastructure.Features.Lifecycle;

/// <summary>The product README's <c>hibernation</c> settings, in its units (<c>30m</c>, <c>60s</c>).</summary>
public sealed class HibernationOptions : IValidatableObject
{
    public const string Section = "Hibernation";

    public bool Enabled { get; set; } = true;

    /// <summary>For members whose tier sets no idle timeout.</summary>
    public string DefaultIdleTimeout { get; set; } = "30m";

    /// <summary>How often <c>sessions.reap-idle</c> runs.</summary>
    public string CheckInterval { get; set; } = "60s";

    /// <summary>How long before hibernating the viewer shows its countdown.</summary>
    public string WarningBefore { get; set; } = "5m";

    /// <summary>
    /// Hibernate every running session when Workers stops (one machine, <c>make run</c>'s Ctrl-C). Off by default: sandboxes
    /// and pods outlive a Workers restart, which is what a server wants.
    /// </summary>
    public bool OnShutdown { get; set; }

    public TimeSpan DefaultIdleTimeoutSpan => Quantity.ParseDuration(DefaultIdleTimeout);

    public TimeSpan CheckIntervalSpan => Quantity.ParseDuration(CheckInterval);

    public TimeSpan WarningBeforeSpan => Quantity.ParseDuration(WarningBefore);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(DefaultIdleTimeout), DefaultIdleTimeout), (nameof(CheckInterval), CheckInterval), (nameof(WarningBefore), WarningBefore) })
        {
            if (!Quantity.TryParseDuration(value, out var duration) || duration <= TimeSpan.Zero)
            {
                yield return new ValidationResult($"{Section}:{name} must be a duration such as 30m or 60s, not \"{value}\".", [name]);
            }
        }
    }
}
