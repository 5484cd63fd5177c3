using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Infrastructure.Tenancy;

/// <summary>
/// Work done inside one tenant from outside any request (sweeps, operator actions, jobs, imports): the tenant is loaded and
/// set as the current one, so every query, audit line and save that follows is that tenant's. The one place that does
/// "load the tenant, <see cref="TenantContext.Use"/> it"; a request's tenant comes from <see cref="TenantResolutionMiddleware"/>.
/// </summary>
public sealed class TenantScope(IServiceScopeFactory scopes)
{
    /// <summary>Runs <paramref name="work"/> in a fresh scope of the tenant <paramref name="tenantId"/>; false (nothing run) when it no longer exists.</summary>
    public Task<bool> RunAsync(Guid tenantId, Func<IServiceProvider, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunAsync(t => t.Id == tenantId, tracked: false, (services, _) => work(services), cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a fresh scope of the tenant <paramref name="slug"/>, handing it the tenant as that scope's
    /// <see cref="StreamSpaceDb"/> tracks it (a change to it is saved with the scope's next save); false when there is none.
    /// </summary>
    public Task<bool> RunAsync(string slug, Func<IServiceProvider, Tenant, Task> work, CancellationToken cancellationToken) =>
        RunAsync(t => t.Slug == slug, tracked: true, work, cancellationToken);

    /// <summary>Sets the tenant <paramref name="tenantId"/> as the current one of the scope <paramref name="db"/> belongs to; null when it does not exist.</summary>
    public static Task<Tenant?> EnterAsync(StreamSpaceDb db, TenantContext tenantContext, Guid tenantId, CancellationToken cancellationToken) =>
        EnterAsync(db, tenantContext, t => t.Id == tenantId, tracked: false, cancellationToken);

    /// <summary>Sets the tenant <paramref name="slug"/> as the current one of the scope <paramref name="db"/> belongs to; null when it does not exist.</summary>
    public static Task<Tenant?> EnterAsync(StreamSpaceDb db, TenantContext tenantContext, string slug, CancellationToken cancellationToken) =>
        EnterAsync(db, tenantContext, t => t.Slug == slug, tracked: false, cancellationToken);

    private async Task<bool> RunAsync(
        Expression<Func<Tenant, bool>> which, bool tracked, Func<IServiceProvider, Tenant, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var tenant = await EnterAsync(services.GetRequiredService<StreamSpaceDb>(), services.GetRequiredService<TenantContext>(), which, tracked, cancellationToken);
        if (tenant is null)
        {
            return false;
        }

        await work(services, tenant);
        return true;
    }

    private static async Task<Tenant?> EnterAsync(
        StreamSpaceDb db, TenantContext tenantContext, Expression<Func<Tenant, bool>> which, bool tracked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(tenantContext);
        var tenants = tracked ? db.Tenants : db.Tenants.AsNoTracking();
        var tenant = await tenants.SingleOrDefaultAsync(which, cancellationToken);
        if (tenant is not null)
        {
            tenantContext.Use(tenant);
        }

        return tenant;
    }
}
