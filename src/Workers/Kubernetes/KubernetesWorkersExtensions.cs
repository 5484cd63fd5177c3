using StreamSpace.Infrastructure.Sessions.Kubernetes;

namespace StreamSpace.Workers.Kubernetes;

public static class KubernetesWorkersExtensions
{
    /// <summary>With <c>Runtime:Kind=Kubernetes</c>: the leader-elected import of Session, Template and User resources.</summary>
    public static IServiceCollection AddCustomResourceImport(this IServiceCollection services)
    {
        services.AddSingleton<ReconcileLeadership>();
        services.AddScoped<SessionResourceImport>();
        services.AddScoped<TemplateResourceImport>();
        services.AddScoped<UserResourceImport>();
        services.AddSingleton<CustomResourceReconciler>();
        services.AddHostedService(provider => provider.GetRequiredService<CustomResourceReconciler>());
        return services;
    }
}
