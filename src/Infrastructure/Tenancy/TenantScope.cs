using Microsoft.EntityFrameworkCore;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Workers.Jobs;

/// <summary>Runs one piece of a cross-tenant sweep inside its tenant: a fresh scope with the tenant context set.</summary>
public sealed class TenantScope(IServiceScopeFactory scopes)
{
    public async Task RunAsync(Guid tenantId, Func<IServiceProvider, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var tenant = await services.GetRequiredService<StreamSpaceDb>().Tenants.AsNoTracking()
            .SingleOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
        if (tenant is null)
        {
            return;
        }

        services.GetRequiredService<TenantContext>().Use(tenant);
        await work(services);
    }
}
