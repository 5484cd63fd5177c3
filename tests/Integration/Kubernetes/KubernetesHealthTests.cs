using Microsoft.Extensions.Diagnostics.HealthChecks;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;

namespace StreamSpace.Tests.Integration.Kubernetes;

public sealed class KubernetesHealthTests
{
    [Fact]
    public async Task The_kubernetes_api_is_healthy_when_it_answers_and_unhealthy_when_it_is_gone()
    {
        var api = await FakeKubernetesApi.StartAsync();
        await api.InstallChartRbacAsync();
        using var client = api.ClientAs("streamspace", "streamspace-web");
        var check = new KubernetesApiHealthCheck(client);

        var up = await check.CheckHealthAsync(new HealthCheckContext());
        await api.DisposeAsync();
        var down = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal((HealthStatus.Healthy, "Kubernetes v1.33.0-fake"), (up.Status, up.Description));
        Assert.Equal(HealthStatus.Unhealthy, down.Status);
    }
}
