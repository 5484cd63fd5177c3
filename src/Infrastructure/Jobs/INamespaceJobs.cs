using Hangfire;

namespace StreamSpace.Infrastructure.Jobs;

/// <summary>Kubernetes namespace jobs Web enqueues and Workers runs (only with the Kubernetes runtime).</summary>
public interface INamespaceJobs
{
    /// <summary><c>tenants.converge-namespace</c>: the tenant's Kubernetes namespace, quota, policies and accounts, now rather than at the next sweep.</summary>
    [JobDisplayName("tenants.converge-namespace {0}")]
    [AutomaticRetry(Attempts = 10)]
    Task ConvergeNamespaceAsync(Guid tenantId, CancellationToken cancellationToken);
}
