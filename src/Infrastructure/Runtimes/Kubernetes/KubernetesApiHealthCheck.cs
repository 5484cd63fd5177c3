using k8s;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

/// <summary>Ready only when the API server answers and our Session resources are served (the CRDs are installed).</summary>
public sealed class KubernetesApiHealthCheck(IKubernetes client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var version = await client.Version.GetCodeAsync(cancellationToken);
            await client.CustomObjects.ListClusterCustomObjectAsync(
                SessionLabels.Group, SessionLabels.Version, SessionResource.Plural, limit: 1, cancellationToken: cancellationToken);
            return HealthCheckResult.Healthy($"Kubernetes {version.GitVersion}");
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return HealthCheckResult.Unhealthy("The stream.space CRDs are not installed (kubectl apply -f ops/helm/streamspace/crds/).", e);
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy("The Kubernetes API server does not answer.", e);
        }
    }
}
