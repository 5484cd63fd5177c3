using StreamSpace.Domain.Quotas;

namespace StreamSpace.Infrastructure.Features.Members;

/// <summary>What a tenant admin sets on a member: role, tier (null: the default tier) and quota overrides.</summary>
public sealed record MemberChange(string Role, Guid? TierId, QuotaOverrides Overrides);
