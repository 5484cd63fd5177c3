using StreamSpace.Domain.Common;

namespace StreamSpace.Domain.Sessions;

/// <summary>
/// When a running session will hibernate and why: idle (no keyboard or pointer input for the idle timeout, unless kept
/// awake) or its hard deadline (max session duration, which input never extends). Pure arithmetic for the sweep, the
/// viewer's countdown and the sessions page.
/// </summary>
public sealed record HibernationOutlook(DateTimeOffset? At, string? Reason, bool Due, bool Warn)
{
    public static HibernationOutlook None { get; } = new(null, null, false, false);

    public TimeSpan? Remaining(DateTimeOffset now) => At is { } at ? (at > now ? at - now : TimeSpan.Zero) : null;

    public static HibernationOutlook For(Session session, HibernationRules rules, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(rules);
        if (session.State != SessionState.Running || session.IdleSince is not { } idleSince)
        {
            return None;
        }

        DateTimeOffset? at = null;
        string? reason = null;
        if (rules.IdleEnabled && !session.KeepAwake && rules.IdleTimeout > TimeSpan.Zero)
        {
            at = idleSince + rules.IdleTimeout;
            reason = "idle " + Quantity.FormatDuration(rules.IdleTimeout);
        }

        // At the same instant the deadline wins: it is the rule the member cannot influence.
        if (session.Deadline is { } deadline && (at is null || deadline <= at))
        {
            at = deadline;
            reason = "max duration " + Quantity.FormatDuration(rules.MaxSessionDuration);
        }

        return at is null
            ? None
            : new HibernationOutlook(at, reason, Due: now >= at, Warn: now >= at - rules.WarningBefore);
    }
}
