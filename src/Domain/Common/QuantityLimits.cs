namespace StreamSpace.Domain.Common;

/// <summary>
/// The largest amount each kind of field takes, in forms and YAML alike: far above any real machine or plan, low enough that no
/// sum or conversion overflows and every value fits its column.
/// </summary>
public static class QuantityLimits
{
    /// <summary>Memory of a tier, a member override or a template: 64Ti.</summary>
    public const long MaxMemoryBytes = 64L << 40;

    /// <summary>Home storage of a tier or a member override: 1024Ti.</summary>
    public const long MaxStorageBytes = 1L << 50;

    /// <summary>CPU of a tier or a template: 1024 cores.</summary>
    public const int MaxMillicores = 1_024_000;

    /// <summary>Concurrent sessions of a tier or a member override.</summary>
    public const int MaxSessions = 1000;

    /// <summary>A tenant's plan caps: memory and storage up to 1024Ti, 100,000 running sessions, 1,000,000 members.</summary>
    public const long MaxPlanBytes = 1L << 50;

    public const int MaxPlanSessions = 100_000;

    public const int MaxPlanMembers = 1_000_000;

    /// <summary>The longest maximum session duration or idle timeout: 30 days.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(30);

    /// <summary>The longest e-mail address (RFC 5321's path limit, and the invitation column).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>What to say about a value that reads but is larger than <paramref name="maximum"/> (already formatted).</summary>
    public static string TooLarge(string? text, string maximum) => $"\"{text}\" is more than the maximum, {maximum}.";

    public static string TooLong(int maximum) => $"Use at most {maximum} characters.";
}
