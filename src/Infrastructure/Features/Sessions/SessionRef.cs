namespace StreamSpace.Infrastructure.Features.Sessions;

public sealed record SessionRef(Guid TenantId, Guid SessionId);
