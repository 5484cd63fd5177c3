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

    /// <summary>
    /// The tenant a signed-in principal (cookie, token, approved grant, API client) claims: the slug claim names it and the id
    /// claim must be that tenant's id, so a tenant deleted and re-created under the same slug is not the one the claims were
    /// issued for. Null when either is missing or they disagree. Every place that trusts a tenant claim asks here.
    /// </summary>
    public async Task<Tenant?> FindClaimedAsync(string? slug, string? tenantId, CancellationToken cancellationToken) =>
        slug is not null && Guid.TryParse(tenantId, out var id) && await FindBySlugAsync(slug, cancellationToken) is { } tenant && tenant.Id == id
            ? tenant
            : null;

    /// <summary><see cref="FindClaimedAsync(string?, string?, CancellationToken)"/> with the principal's tenant and tenant-id claims.</summary>
    public Task<Tenant?> FindClaimedAsync(System.Security.Claims.ClaimsPrincipal? principal, CancellationToken cancellationToken) =>
        FindClaimedAsync(principal?.FindFirst(Identity.StreamSpaceClaims.Tenant)?.Value, principal?.FindFirst(Identity.StreamSpaceClaims.TenantId)?.Value, cancellationToken);

    /// <summary>Drops the cached copy after an operator changed the tenant, so this process sees the change at once.</summary>
    public void Forget(string slug) => cache.Remove(Key(slug));

    private static string Key(string slug) => "tenant:" + slug;
}
