using StreamSpace.Domain.Sessions;

namespace StreamSpace.Infrastructure.Features.Platform;

public sealed record SessionSnapshot(Guid TenantId, Guid SessionId, SessionState State, DateTimeOffset StateChangedAt, bool RecoveryAttempted);
