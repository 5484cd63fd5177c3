using StreamSpace.Domain.Common;

namespace StreamSpace.Domain.Usage;

/// <summary>One running period of a session, from Running until it stops; what usage is metered from.</summary>
public sealed class SessionRun : ITenantOwned
{
    private SessionRun()
    {
    }

    public long Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid SessionId { get; private set; }

    public Guid MemberId { get; private set; }

    public Guid TemplateId { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public static SessionRun Begin(Guid sessionId, Guid memberId, Guid templateId, DateTimeOffset at) =>
        new() { SessionId = sessionId, MemberId = memberId, TemplateId = templateId, StartedAt = at };

    public void End(DateTimeOffset at) => EndedAt ??= at < StartedAt ? StartedAt : at;
}
