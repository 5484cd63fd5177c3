using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Quotas;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Tiers;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Observability;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Infrastructure.Features.Sessions;

/// <summary>
/// Decides whether one more session fits the member's quota and the organisation's plan. Call it inside a transaction:
/// it takes the tenant's advisory lock first, so two launches at the edge are decided one after the other.
/// </summary>
public sealed class QuotaAdmission(StreamSpaceDb db, TenantContext tenantContext, StreamSpaceMetrics metrics)
{
    // Advisory locks have a two-int key space; the first int says "quota admission", the second is the tenant.
    private const int LockClass = 0x51554f54;

    public async Task<QuotaRefusal?> CheckAsync(Guid memberId, long memoryBytes, int cpuMillicores, CancellationToken cancellationToken)
    {
        var tenant = tenantContext.Tenant ?? throw new InvalidOperationException("Admission runs inside a tenant.");
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockClass}, {tenant.Id.GetHashCode()})", cancellationToken);
        var refusal = (await PreviewAsync(memberId, cancellationToken)).Check(memoryBytes, cpuMillicores);
        metrics.QuotaChecked(tenant.Slug, refusal);
        return refusal;
    }

    /// <summary>
    /// The member's standing now, without the lock: for showing Launch as possible or not before anyone clicks. One round
    /// trip: the member, the tenant's tiers, the live sessions' sums and, only for a member without a home yet, the tiers and
    /// storage overrides of the members who have one.
    /// </summary>
    public async Task<QuotaPreview> PreviewAsync(Guid memberId, CancellationToken cancellationToken)
    {
        var tenant = tenantContext.Tenant ?? throw new InvalidOperationException("Admission runs inside a tenant.");
        var live = SessionStateMachine.LiveStates;
        var standing = await db.Users.AsNoTracking()
            .Where(m => m.Id == memberId)
            .Select(m => new
            {
                Member = m,
                // Correlated, so it is joined into this query rather than run as a second one.
                Tiers = db.Tiers.Where(t => t.TenantId == m.TenantId).ToList(),
                TenantMemory = db.Sessions.Where(s => live.Contains(s.State)).Sum(s => s.MemoryBytes),
                TenantCpu = db.Sessions.Where(s => live.Contains(s.State)).Sum(s => s.CpuMillicores),
                TenantSessions = db.Sessions.Count(s => live.Contains(s.State)),
                MemberMemory = db.Sessions.Where(s => s.MemberId == m.Id && live.Contains(s.State)).Sum(s => s.MemoryBytes),
                MemberCpu = db.Sessions.Where(s => s.MemberId == m.Id && live.Contains(s.State)).Sum(s => s.CpuMillicores),
                MemberSessions = db.Sessions.Count(s => s.MemberId == m.Id && live.Contains(s.State)),
                // The member's first session creates their home: it must fit the plan next to the homes that exist.
                NeedsHome = !db.Sessions.Any(s => s.MemberId == m.Id),
                HomeOwners = db.Users
                    .Where(o => !db.Sessions.Any(s => s.MemberId == m.Id) && db.Sessions.Any(s => s.MemberId == o.Id))
                    .Select(o => new { o.Id, o.TierId, o.OverrideStorageBytes })
                    .ToList(),
            })
            .AsSingleQuery()
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Member {memberId} is not a member of this tenant.");

        var quota = EffectiveQuota.Of(Tier.Resolve(standing.Member.TierId, standing.Tiers), standing.Member.Overrides);
        var allocated = standing.HomeOwners.Sum(o => EffectiveQuota.Of(
            Tier.Resolve(o.TierId, standing.Tiers), new QuotaOverrides(null, null, o.OverrideStorageBytes, null)).StorageBytes);
        return new QuotaPreview(
            new QuotaUsage(standing.MemberMemory, standing.MemberCpu, standing.MemberSessions),
            quota,
            new QuotaUsage(standing.TenantMemory, standing.TenantCpu, standing.TenantSessions),
            tenant.Plan,
            standing.NeedsHome,
            allocated);
    }
}
