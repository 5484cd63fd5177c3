using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Jobs;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Workers.Jobs;

/// <summary>
/// <c>tenants.suspend</c>: a suspended tenant's running sessions hibernate through the usual path (state, audit event with
/// reason <c>suspended</c>, then the hibernate job, which stops the sandbox and so closes its streams). Repeating it is harmless.
/// </summary>
public sealed class TenantSuspension(TenantScope tenants, ILogger<TenantSuspension> logger) : ITenantJobs
{
    public const string Reason = "suspended";

    public Task HibernateSuspendedAsync(Guid tenantId, CancellationToken cancellationToken) =>
        tenants.RunAsync(tenantId, async services =>
        {
            if (services.GetRequiredService<TenantContext>().Tenant?.Status != TenantStatus.Suspended)
            {
                return;
            }

            var running = await services.GetRequiredService<StreamSpaceDb>().Sessions
                .Where(s => s.State == SessionState.Running)
                .ToListAsync(cancellationToken);
            var hibernating = await services.GetRequiredService<SessionHibernation>()
                .HibernateAsync(running.Select(s => (s, Reason)).ToList(), cancellationToken);
            logger.LogInformation("Tenant {TenantId} is suspended: {Count} running sessions hibernate", tenantId, hibernating.Count);
        }, cancellationToken);
}
