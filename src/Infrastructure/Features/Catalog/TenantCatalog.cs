using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>
/// The templates the current tenant's members can see, read from the database once and searched in memory: every catalog
/// view and every search keystroke asks, and the catalog changes only when an admin edits it or the set-up step loads it.
/// Changes made in this process show at once (<see cref="Forget"/>); those of another replica or of the set-up step within
/// <see cref="CacheFor"/>.
/// </summary>
public sealed class TenantCatalog(StreamSpaceDb db, TenantContext tenantContext, IMemoryCache cache)
{
    public const int MaxQueryLength = 100;
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    public async Task<CatalogSearch> SearchAsync(string? text, string? category, CancellationToken cancellationToken)
    {
        var all = await VisibleAsync(cancellationToken);
        var query = text?.Trim() ?? string.Empty;
        if (query.Length > MaxQueryLength)
        {
            query = query[..MaxQueryLength];
        }

        var matches = all.Where(t =>
                (string.IsNullOrEmpty(category) || t.Category == category) && (query.Length == 0 || t.Matches(query)))
            .ToList();
        var categories = all.Select(t => t.Category).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new CatalogSearch(matches, categories);
    }

    /// <summary>Drops this tenant's cached catalog after a change to its templates or its enable/disable choices.</summary>
    public void Forget() => cache.Remove(Key(tenantContext.TenantId));

    private async Task<IReadOnlyList<CatalogEntry>> VisibleAsync(CancellationToken cancellationToken)
    {
        var key = Key(tenantContext.TenantId);
        if (cache.TryGetValue(key, out IReadOnlyList<CatalogEntry>? cached) && cached is not null)
        {
            return cached;
        }

        // The tenant filter adds the tenant's own templates to the global ones; its disabled choices take some away.
        var rows = await db.Templates.AsNoTracking()
            .Where(t => !db.DisabledTemplates.Any(d => d.TemplateId == t.Id))
            .OrderBy(t => t.Category).ThenBy(t => t.DisplayName)
            .Select(t => new { t.Name, t.DisplayName, t.Description, t.Category, t.Icon, t.DefaultMemoryBytes, t.DefaultCpuMillicores, t.LocalCommand, t.Tags, t.Protocol, t.TenantId })
            .ToListAsync(cancellationToken);
        var entries = rows
            .Select(t => new CatalogEntry(
                t.Name, t.DisplayName, t.Description, t.Category, t.Icon, t.DefaultMemoryBytes, t.DefaultCpuMillicores,
                t.LocalCommand is not null, t.Tags, t.Protocol, t.TenantId is not null))
            .ToList();
        cache.Set(key, (IReadOnlyList<CatalogEntry>)entries, CacheFor);
        return entries;
    }

    private static string Key(Guid? tenantId) => "catalog:" + (tenantId?.ToString("N") ?? "none");
}
