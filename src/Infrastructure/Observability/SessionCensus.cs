using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Infrastructure.Observability;

/// <summary>How many sessions every tenant has in each state and what they reserve, for the metrics; two statements.</summary>
public sealed class SessionCensus(StreamSpaceDb db)
{
    // The metrics describe every tenant by definition; this is where they lift the tenant filter.
    private static readonly string[] TenantFilter = [StreamSpaceDb.TenantFilter];

    public async Task<SessionCensusResult> TakeAsync(CancellationToken cancellationToken)
    {
        var tenants = await db.Tenants.AsNoTracking().Select(t => new { t.Id, t.Slug }).ToListAsync(cancellationToken);
        var groups = await db.Sessions.IgnoreQueryFilters(TenantFilter)
            .Where(s => s.State != SessionState.Terminated && s.State != SessionState.Failed)
            .GroupBy(s => new { s.TenantId, s.State })
            .Select(g => new
            {
                g.Key.TenantId,
                g.Key.State,
                Count = g.Count(),
                MemoryBytes = g.Sum(s => s.MemoryBytes),
                CpuMillicores = g.Sum(s => s.CpuMillicores),
                OldestChange = g.Min(s => s.StateChangedAt),
            })
            .ToListAsync(cancellationToken);
        var slugs = tenants.ToDictionary(t => t.Id, t => t.Slug);
        return new SessionCensusResult(
            tenants.Select(t => t.Slug).ToList(),
            groups.Where(g => slugs.ContainsKey(g.TenantId))
                .Select(g => new SessionCensusGroup(slugs[g.TenantId], g.State, g.Count, g.MemoryBytes, g.CpuMillicores, g.OldestChange))
                .ToList());
    }
}
