using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Infrastructure.Tenancy;

/// <summary>Maps a tenant id from a host name, path or claim to the tenant; cached briefly because every request asks.</summary>
public sealed class TenantStore(StreamSpaceDb db, IMemoryCache cache)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    public async Task<Tenant?> FindBySlugAsync(string slug, CancellationToken cancellationToken)
    {
        var key = Key(slug);
        if (cache.TryGetValue(key, out Tenant? cached))
        {
            return cached;
        }

        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == slug, cancellationToken);
        if (tenant is not null)
        {
            cache.Set(key, tenant, CacheFor);
        }

        return tenant;
    }

    /// <summary>Drops the cached copy after an operator changed the tenant, so this process sees the change at once.</summary>
    public void Forget(string slug) => cache.Remove(Key(slug));

    private static string Key(string slug) => "tenant:" + slug;
}
