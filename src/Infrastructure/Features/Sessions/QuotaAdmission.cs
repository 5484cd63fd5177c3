using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Quotas;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Tiers;
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

    /// <summary>The member's standing now, without the lock: for showing Launch as possible or not before anyone clicks.</summary>
    public async Task<QuotaPreview> PreviewAsync(Guid memberId, CancellationToken cancellationToken)
    {
        var tenant = tenantContext.Tenant ?? throw new InvalidOperationException("Admission runs inside a tenant.");
        var quota = await QuotaOfAsync(memberId, cancellationToken);
        var live = await db.Sessions
            .Where(s => SessionStateMachine.LiveStates.Contains(s.State))
            .Select(s => new { s.MemberId, s.MemoryBytes, s.CpuMillicores })
            .ToListAsync(cancellationToken);
        var mine = live.Where(s => s.MemberId == memberId).ToList();
        // A member with a live session has a home already; only the others need the second look.
        var needsHome = mine.Count == 0 && !await db.Sessions.AnyAsync(s => s.MemberId == memberId, cancellationToken);
        long allocated = 0;
        if (needsHome)
        {
            // The member's first session creates their home: it must fit the plan next to the homes that exist.
            var owners = await db.Sessions.Select(s => s.MemberId).Distinct().ToListAsync(cancellationToken);
            allocated = (await QuotasOfAsync(owners, cancellationToken)).Values.Sum(q => q.StorageBytes);
        }

        return new QuotaPreview(
            new QuotaUsage(mine.Sum(s => s.MemoryBytes), mine.Sum(s => s.CpuMillicores), mine.Count),
            quota,
            new QuotaUsage(live.Sum(s => s.MemoryBytes), live.Sum(s => s.CpuMillicores), live.Count),
            tenant.Plan,
            needsHome,
            allocated);
    }

    /// <summary>The member's tier with their overrides; members without a tier get the tenant's <c>free</c> tier.</summary>
    public async Task<EffectiveQuota> QuotaOfAsync(Guid memberId, CancellationToken cancellationToken) =>
        (await QuotasOfAsync([memberId], cancellationToken)).TryGetValue(memberId, out var quota)
            ? quota
            : throw new InvalidOperationException($"Member {memberId} is not a member of this tenant.");

    /// <summary><see cref="QuotaOfAsync"/> for several members of the tenant in two queries, for the sweeps.</summary>
    public async Task<Dictionary<Guid, EffectiveQuota>> QuotasOfAsync(IReadOnlyCollection<Guid> memberIds, CancellationToken cancellationToken)
    {
        var members = await db.Users.AsNoTracking().Where(m => memberIds.Contains(m.Id)).ToListAsync(cancellationToken);

        // A tenant has a handful of tiers; reading them all is one query however many members ask.
        var tiers = await db.Tiers.AsNoTracking().ToListAsync(cancellationToken);
        return members.ToDictionary(m => m.Id, m => EffectiveQuota.Of(MemberTiers.Resolve(m.TierId, tiers), m.Overrides));
    }
}
