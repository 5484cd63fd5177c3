using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StreamSpace.Domain.Sessions;

namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

public static class KubernetesRuntimeExtensions
{
    /// <summary>Sessions as Deployments in the tenants' namespaces; the API server is found in-cluster or through <c>KUBECONFIG</c>.</summary>
    public static IServiceCollection AddKubernetesSessionRuntime(this IServiceCollection services)
    {
        services.AddOptions<KubernetesRuntimeOptions>().BindConfiguration(KubernetesRuntimeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKubernetes>(_ => new k8s.Kubernetes(ClientConfiguration()));
        services.AddSingleton<SessionViewerUrls>();
        services.AddSingleton<ISessionRuntime, KubernetesSessionRuntime>();
        services.TryAddSingleton<IRuntimeCapacity, KubernetesRuntimeCapacity>();
        services.TryAddSingleton<IHomeSpaces, UnseenHomeSpaces>();
        services.AddScoped<TenantNamespaces>();
        return services;
    }

    /// <summary>The service account's token inside a pod; otherwise the file <c>KUBECONFIG</c> names (or <c>~/.kube/config</c>).</summary>
    public static KubernetesClientConfiguration ClientConfiguration() =>
        KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(Environment.GetEnvironmentVariable("KUBECONFIG"));
}
