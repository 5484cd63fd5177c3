using Hangfire;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Jobs;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;

namespace StreamSpace.Workers.Jobs;

/// <summary>
/// <c>tenants.converge-namespaces</c>: every tenant's namespace brought back to what it should be (a plan changed, someone
/// edited a policy by hand); one tenant right after it signs up.
/// </summary>
public sealed class TenantNamespaceConvergence(StreamSpaceDb db, TenantNamespaces namespaces, ILogger<TenantNamespaceConvergence> logger) : INamespaceJobs
{
    public const string JobId = "tenants.converge-namespaces";

    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var tenants = await db.Tenants.AsNoTracking()
            .Where(t => t.Slug != Tenant.PlatformSlug && t.Status == TenantStatus.Active)
            .ToListAsync(cancellationToken);
        var converged = 0;
        foreach (var tenant in tenants)
        {
            try
            {
                await namespaces.ConvergeAsync(tenant, cancellationToken);
                converged++;
            }
            catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException)
            {
                // One tenant's trouble (a quota admission webhook, a typo in a hand edit) must not stop the others.
                logger.LogWarning(e, "Namespace of tenant {Tenant} not converged", tenant.Slug);
            }
        }

        return converged;
    }

    public async Task ConvergeNamespaceAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
        if (tenant is { IsPlatform: false })
        {
            await namespaces.ConvergeAsync(tenant, cancellationToken);
        }
    }
}
