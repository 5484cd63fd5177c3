namespace StreamSpace.Infrastructure.Features.Sessions;

public sealed record MemberRef(Guid TenantId, Guid MemberId);
