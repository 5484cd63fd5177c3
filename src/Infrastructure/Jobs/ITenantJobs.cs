using Hangfire;

namespace StreamSpace.Infrastructure.Jobs;

/// <summary>Jobs an operator's change to a whole tenant starts; Web enqueues them, Workers runs them.</summary>
public interface ITenantJobs
{
    /// <summary><c>tenants.suspend</c>: hibernates every running session of a suspended tenant (reason <c>suspended</c>).</summary>
    [JobDisplayName("tenants.suspend {0}")]
    [AutomaticRetry(Attempts = 5)]
    Task HibernateSuspendedAsync(Guid tenantId, CancellationToken cancellationToken);
}
