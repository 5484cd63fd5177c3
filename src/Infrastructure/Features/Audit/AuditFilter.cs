namespace StreamSpace.Infrastructure.Features.Audit;

/// <summary>What the audit page narrows the log to: text in the actor or target, one action, a time range (From inclusive, To exclusive).</summary>
public sealed record AuditFilter(string? Actor, string? Action, string? Target, DateTimeOffset? From, DateTimeOffset? To)
{
    public static AuditFilter None { get; } = new(null, null, null, null, null);
}
