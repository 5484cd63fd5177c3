using StreamSpace.Domain.Sessions;

namespace StreamSpace.Infrastructure.Features.Sessions;

public sealed record SessionSnapshot(
    Guid TenantId, string TenantSlug, Guid SessionId, SessionState State, DateTimeOffset StateChangedAt, DateTimeOffset? RecoveryAttemptedAt,
    SessionRuntimeKind Runtime)
{
    public SessionAddress Address => new(TenantSlug, SessionId, Runtime);
}
