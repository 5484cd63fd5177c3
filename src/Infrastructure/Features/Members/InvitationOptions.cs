using System.ComponentModel.DataAnnotations;
using StreamSpace.Domain.Common;

namespace StreamSpace.Infrastructure.Features.Members;

/// <summary>How long an invitation link stays valid (<c>Invitations:Lifetime</c>, a duration such as <c>7d</c> or <c>48h</c>).</summary>
public sealed class InvitationOptions : IValidatableObject
{
    public const string Section = "Invitations";

    public string Lifetime { get; set; } = "7d";

    public TimeSpan LifetimeSpan => Quantity.ParseDuration(Lifetime);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Quantity.TryParseDuration(Lifetime, out var lifetime) || lifetime <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"{Section}:{nameof(Lifetime)} must be a duration such as 7d or 48h, not \"{Lifetime}\".", [nameof(Lifetime)]);
        }
    }
}
