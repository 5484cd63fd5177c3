using StreamSpace.Domain.Quotas;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Tiers;

namespace StreamSpace.Infrastructure.Features.Sessions;

/// <summary>What applies to one member's sessions: the tier, the effective quota and the hibernation rules.</summary>
public sealed record MemberLimits(Tier Tier, EffectiveQuota Quota, HibernationRules Rules);
