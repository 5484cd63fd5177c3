using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Infrastructure.Features.Platform;

/// <summary>What an operator sees of every tenant.</summary>
public sealed class PlatformOverview(StreamSpaceDb db)
{
    private static readonly string[] TenantFilter = [StreamSpaceDb.TenantFilter];

    public async Task<IReadOnlyList<TenantOverview>> TenantsAsync(CancellationToken cancellationToken) =>
        // Operators look across tenants by definition; this is the one place the tenant filter is lifted.
        await db.Tenants
            .OrderBy(t => t.Slug)
            .Select(t => new TenantOverview(
                t.Slug,
                t.DisplayName,
                t.Status,
                db.Users.IgnoreQueryFilters(TenantFilter).Count(m => m.TenantId == t.Id),
                db.Sessions.IgnoreQueryFilters(TenantFilter)
                    .Count(s => s.TenantId == t.Id && s.State != SessionState.Terminated && s.State != SessionState.Failed),
                t.CreatedAt))
            .ToListAsync(cancellationToken);
}
