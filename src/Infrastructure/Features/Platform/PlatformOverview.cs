using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Tiers;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Infrastructure.Features.Platform;

/// <summary>What an operator sees of every tenant, and of the installation's capacity.</summary>
public sealed class PlatformOverview(StreamSpaceDb db, IRuntimeCapacity runtime)
{
    // Operators look across tenants by definition; this is where the tenant filter is lifted for them.
    private static readonly string[] TenantFilter = [StreamSpaceDb.TenantFilter];

    public async Task<IReadOnlyList<TenantOverview>> TenantsAsync(CancellationToken cancellationToken) =>
        await OverviewAsync(null, cancellationToken);

    public async Task<TenantOverview?> TenantAsync(string slug, CancellationToken cancellationToken) =>
        (await OverviewAsync(slug, cancellationToken)).SingleOrDefault();

    public async Task<Capacity> CapacityAsync(CancellationToken cancellationToken)
    {
        var live = await db.Sessions.IgnoreQueryFilters(TenantFilter)
            .Where(s => SessionStateMachine.LiveStates.Contains(s.State))
            .GroupBy(_ => 1)
            .Select(g => new { Live = g.Count(), Running = g.Count(s => s.State == SessionState.Running), Memory = g.Sum(s => s.MemoryBytes) })
            .SingleOrDefaultAsync(cancellationToken);
        return new Capacity(live?.Running ?? 0, live?.Live ?? 0, live?.Memory ?? 0, await runtime.ReadAsync(cancellationToken));
    }

    private async Task<List<TenantOverview>> OverviewAsync(string? slug, CancellationToken cancellationToken)
    {
        var tenants = await db.Tenants.AsNoTracking()
            .Where(t => slug == null || t.Slug == slug)
            .OrderBy(t => t.Slug)
            .Select(t => new
            {
                Tenant = t,
                Members = db.Users.IgnoreQueryFilters(TenantFilter).Count(m => m.TenantId == t.Id),
                Live = db.Sessions.IgnoreQueryFilters(TenantFilter).Count(s => s.TenantId == t.Id && SessionStateMachine.LiveStates.Contains(s.State)),
                Running = db.Sessions.IgnoreQueryFilters(TenantFilter).Count(s => s.TenantId == t.Id && s.State == SessionState.Running),
                Memory = db.Sessions.IgnoreQueryFilters(TenantFilter)
                    .Where(s => s.TenantId == t.Id && SessionStateMachine.LiveStates.Contains(s.State)).Sum(s => (long?)s.MemoryBytes) ?? 0,
            })
            .ToListAsync(cancellationToken);
        var ids = tenants.Select(t => t.Tenant.Id).ToList();

        // Homes exist for members who ever had a session; each holds its member's storage quota (override, tier, else free).
        var homes = await db.Users.IgnoreQueryFilters(TenantFilter)
            .Where(m => ids.Contains(m.TenantId) && db.Sessions.IgnoreQueryFilters(TenantFilter).Any(s => s.MemberId == m.Id))
            .Select(m => new { m.TenantId, m.TierId, m.OverrideStorageBytes })
            .ToListAsync(cancellationToken);
        var tiers = await db.Tiers.IgnoreQueryFilters(TenantFilter).AsNoTracking().Where(t => ids.Contains(t.TenantId)).ToListAsync(cancellationToken);
        var defaultFree = Tier.Defaults()[0].StorageBytes;
        var storage = homes.GroupBy(h => h.TenantId).ToDictionary(
            g => g.Key,
            g => g.Sum(h => h.OverrideStorageBytes
                ?? tiers.SingleOrDefault(t => t.Id == h.TierId)?.StorageBytes
                ?? tiers.SingleOrDefault(t => t.TenantId == g.Key && t.Name == "free")?.StorageBytes
                ?? defaultFree));

        return tenants.Select(t => new TenantOverview(
                t.Tenant.Id, t.Tenant.Slug, t.Tenant.DisplayName, t.Tenant.Status, t.Tenant.Plan,
                t.Members, t.Live, t.Running, t.Memory, storage.GetValueOrDefault(t.Tenant.Id), t.Tenant.CreatedAt))
            .ToList();
    }
}
