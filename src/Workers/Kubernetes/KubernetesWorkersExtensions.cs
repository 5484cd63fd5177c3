using StreamSpace.Infrastructure.Runtimes.Kubernetes;

namespace StreamSpace.Workers.Kubernetes;

public static class KubernetesWorkersExtensions
{
    /// <summary>
    /// With <c>Runtime:Kind=Kubernetes</c>: the leader-elected import of Session, Template and User resources, and the job
    /// keeping Session resources' status current.
    /// </summary>
    public static IServiceCollection AddCustomResourceImport(this IServiceCollection services)
    {
        services.AddSingleton<ReconcileLeadership>();
        services.AddScoped<SessionResourceImport>();
        services.AddScoped<TemplateResourceImport>();
        services.AddScoped<UserResourceImport>();
        services.AddScoped<SessionResourceSync>();
        services.AddSingleton<CustomResourceReconciler>();
        services.AddHostedService(provider => provider.GetRequiredService<CustomResourceReconciler>());
        return services;
    }
}
