namespace StreamSpace.Infrastructure.Features.Platform;

public sealed record SessionRef(Guid TenantId, Guid SessionId);
