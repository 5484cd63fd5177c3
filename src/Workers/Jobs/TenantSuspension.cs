using Hangfire;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Jobs;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Workers.Jobs;

/// <summary>
/// <c>tenants.suspend</c>: a suspended tenant's running sessions hibernate through the usual path (state, audit event with
/// reason <c>suspended</c>, then the hibernate job, which stops the sandbox and so closes its streams). Sessions still
/// starting or resuming are looked at again shortly, until none is left. Repeating it is harmless.
/// </summary>
public sealed class TenantSuspension(TenantScope tenants, IBackgroundJobClient jobs, ILogger<TenantSuspension> logger) : ITenantJobs
{
    public const string Reason = "suspended";

    private static readonly TimeSpan LookAgainAfter = TimeSpan.FromSeconds(30);

    private static readonly SessionState[] Starting = [SessionState.Pending, SessionState.Starting, SessionState.Resuming];

    public Task HibernateSuspendedAsync(Guid tenantId, CancellationToken cancellationToken) =>
        tenants.RunAsync(tenantId, async services =>
        {
            if (services.GetRequiredService<TenantContext>().Tenant?.Status != TenantStatus.Suspended)
            {
                return;
            }

            var db = services.GetRequiredService<StreamSpaceDb>();
            var running = await db.Sessions.Where(s => s.State == SessionState.Running).ToListAsync(cancellationToken);
            var hibernating = await services.GetRequiredService<SessionHibernation>()
                .HibernateAsync(running.Select(s => (s, Reason)).ToList(), cancellationToken);
            logger.LogInformation("Tenant {TenantId} is suspended: {Count} running sessions hibernate", tenantId, hibernating.Count);

            if (await db.Sessions.AnyAsync(s => Starting.Contains(s.State), cancellationToken))
            {
                jobs.Schedule<ITenantJobs>(j => j.HibernateSuspendedAsync(tenantId, CancellationToken.None), LookAgainAfter);
            }
        }, cancellationToken);
}
