using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using StreamSpace.Domain.Tenants;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.LocalRuntime;

namespace StreamSpace.Tests.Integration.Kubernetes;

/// <summary>The Kubernetes runtime against the cluster KUBECONFIG names: launch, hibernate, resume, with a small image that serves HTTP.</summary>
public sealed class RealClusterTests
{
    private readonly string _slug = "it-" + Guid.NewGuid().ToString("N")[..8];

    [RealClusterFact]
    public async Task A_session_launches_hibernates_to_zero_pods_and_resumes_on_a_real_cluster()
    {
        using var client = new k8s.Kubernetes(KubernetesRuntimeExtensions.ClientConfiguration());
        try
        {
            await LaunchHibernateResumeAsync(client);
        }
        finally
        {
            await KubernetesCalls.OrNullAsync(() => client.CoreV1.DeleteNamespaceAsync(SessionLabels.Namespace(_slug)));
        }
    }

    private async Task LaunchHibernateResumeAsync(k8s.Kubernetes client)
    {
        var options = new KubernetesRuntimeOptions
        {
            HomeAccessMode = Environment.GetEnvironmentVariable("STREAMSPACE_TEST_ACCESS_MODE") ?? "ReadWriteOnce",
            StartTimeout = TimeSpan.FromMinutes(5),
        };
        await new TenantNamespaces(client, Microsoft.Extensions.Options.Options.Create(options), NullLogger<TenantNamespaces>.Instance)
            .ConvergeAsync(Tenant.Create(_slug, "Integration test", DateTimeOffset.UtcNow), CancellationToken.None);
        var runtime = new KubernetesSessionRuntime(
            client, Microsoft.Extensions.Options.Options.Create(options),
            new SessionViewerUrls(Microsoft.Extensions.Options.Options.Create(new TenancyOptions { BaseDomain = "streamspace.example.com" }), Microsoft.Extensions.Options.Options.Create(options)),
            TimeProvider.System, NullLogger<KubernetesSessionRuntime>.Instance);
        var spec = KubernetesRuntimeFixture.Spec(image: "nginxinc/nginx-unprivileged:stable-alpine", protocol: StreamProtocol.Http) with
        {
            TenantSlug = _slug,
            Port = 8080,
            MemoryBytes = 128L << 20,
            CpuMillicores = 100,
            HomeStorageBytes = 1L << 30,
        };
        var selector = SessionLabels.SessionSelector(spec.SessionId);

        var progress = new RecordedProgress();
        await runtime.EnsureStartedAsync(spec, progress, CancellationToken.None);
        Assert.Equal("Ready", progress.Reports[^1]);
        Assert.Single((await client.CoreV1.ListNamespacedPodAsync(SessionLabels.Namespace(_slug), labelSelector: selector)).Items);

        await runtime.HibernateAsync(spec.Address, CancellationToken.None);
        Assert.Empty((await client.CoreV1.ListNamespacedPodAsync(SessionLabels.Namespace(_slug), labelSelector: selector)).Items);
        Assert.NotNull(await client.CoreV1.ReadNamespacedServiceAsync(SessionLabels.Workload(spec.SessionId), SessionLabels.Namespace(_slug)));

        await runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        Assert.Equal(1, (await client.AppsV1.ReadNamespacedDeploymentAsync(SessionLabels.Workload(spec.SessionId), SessionLabels.Namespace(_slug))).Spec.Replicas);

        await runtime.TerminateAsync(spec.Address, CancellationToken.None);
        Assert.NotNull(await client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(SessionLabels.Home(spec.MemberId), SessionLabels.Namespace(_slug)));
    }
}
