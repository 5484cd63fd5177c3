namespace StreamSpace.Infrastructure.Features.Platform;

public sealed record MemberRef(Guid TenantId, Guid MemberId);
