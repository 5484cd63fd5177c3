using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamSpace.Domain.Quotas;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Tiers;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Lifecycle;

namespace StreamSpace.Infrastructure.Features.Sessions;

/// <summary>
/// The one place that says what applies to a member's sessions: their tier (<see cref="Tier.Resolve"/>), their effective
/// quota (the tier with their overrides) and the hibernation rules those and the installation's settings make. Quota
/// admission, session specs, the viewer, the gateway and the sweeps all ask here; one query per member, two for many.
/// </summary>
public sealed class MemberQuotas(StreamSpaceDb db, IOptions<HibernationOptions> options)
{
    public async Task<MemberLimits> OfAsync(Guid memberId, CancellationToken cancellationToken)
    {
        var row = await db.Users.AsNoTracking()
            .Where(m => m.Id == memberId)
            .Select(m => new
            {
                m.TierId,
                Overrides = new QuotaOverrides(m.OverrideMemoryBytes, m.OverrideMaxSessions, m.OverrideStorageBytes, m.OverrideMaxSessionDuration),
                Tiers = db.Tiers.Where(t => t.TenantId == m.TenantId).ToList(),
            })
            .AsSingleQuery()
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Member {memberId} is not a member of this tenant.");
        return Standing(Tier.Resolve(row.TierId, row.Tiers), row.Overrides);
    }

    /// <summary>The standing of several members of the tenant, in two queries (a tenant has a handful of tiers).</summary>
    public async Task<Dictionary<Guid, MemberLimits>> OfAsync(IReadOnlyCollection<Guid> memberIds, CancellationToken cancellationToken)
    {
        var members = await db.Users.AsNoTracking().Where(m => memberIds.Contains(m.Id))
            .Select(m => new
            {
                m.Id,
                m.TierId,
                Overrides = new QuotaOverrides(m.OverrideMemoryBytes, m.OverrideMaxSessions, m.OverrideStorageBytes, m.OverrideMaxSessionDuration),
            })
            .ToListAsync(cancellationToken);
        var tiers = await db.Tiers.AsNoTracking().ToListAsync(cancellationToken);
        return members.ToDictionary(m => m.Id, m => Standing(Tier.Resolve(m.TierId, tiers), m.Overrides));
    }

    /// <summary>A member's limits from their tier and overrides already in hand (quota admission reads them itself).</summary>
    public MemberLimits Standing(Tier tier, QuotaOverrides overrides)
    {
        var quota = EffectiveQuota.Of(tier, overrides);
        var settings = options.Value;
        var rules = new HibernationRules(
            settings.Enabled,
            quota.IdleTimeout > TimeSpan.Zero ? quota.IdleTimeout : settings.DefaultIdleTimeoutSpan,
            quota.MaxSessionDuration,
            settings.WarningBeforeSpan);
        return new MemberLimits(tier, quota, rules);
    }
}
