using StreamSpace.Domain.Common;

namespace StreamSpace.Domain.Audit;

/// <summary>One security-relevant action; rows are only ever added.</summary>
public sealed class AuditEvent : ITenantOwned
{
    private AuditEvent()
    {
        Actor = Action = Target = string.Empty;
    }

    public long Id { get; private set; }

    public Guid TenantId { get; private set; }

    public DateTimeOffset At { get; private set; }

    /// <summary>Who did it: a member's e-mail, <c>system</c>, or what an anonymous caller claimed to be.</summary>
    public string Actor { get; private set; }

    public Guid? ActorId { get; private set; }

    /// <summary>Dotted verb such as <c>member.sign-in</c> (see <see cref="AuditActions"/>).</summary>
    public string Action { get; private set; }

    public string Target { get; private set; }

    public string? SourceIp { get; private set; }

    public string? Details { get; private set; }

    public static AuditEvent Create(DateTimeOffset at, string actor, Guid? actorId, string action, string target, string? sourceIp, string? details) =>
        new()
        {
            At = at,
            Actor = actor,
            ActorId = actorId,
            Action = action,
            Target = target,
            SourceIp = sourceIp,
            Details = details,
        };
}
