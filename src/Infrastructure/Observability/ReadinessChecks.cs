using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Infrastructure.Runtimes.Local;

namespace StreamSpace.Infrastructure.Observability;

public static class ReadinessChecks
{
    public const string ReadyTag = "ready";
    public const string RuntimeKindKey = "Runtime:Kind";

    /// <summary>
    /// Readiness beyond PostgreSQL: the Hangfire storage and the session runtime chosen by <c>Runtime:Kind</c>; plus the
    /// publisher that keeps the history for <c>/platform/health</c> and the <c>streamspace_health_status</c> gauge.
    /// </summary>
    public static IHealthChecksBuilder AddStreamSpaceReadiness(this IHealthChecksBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.AddCheck<HangfireStorageHealthCheck>("hangfire", tags: [ReadyTag]);
        switch (configuration[RuntimeKindKey] ?? "Local")
        {
            case "Kubernetes":
                builder.AddCheck<KubernetesApiHealthCheck>("session-runtime", tags: [ReadyTag]);
                break;
            default:
                builder.AddCheck<LocalRuntimeHealthCheck>("session-runtime", tags: [ReadyTag]);
                break;
        }

        builder.Services.AddSingleton<HealthHistory>();
        builder.Services.AddSingleton<IHealthCheckPublisher>(sp => sp.GetRequiredService<HealthHistory>());
        builder.Services.Configure<HealthCheckPublisherOptions>(options =>
        {
            options.Delay = TimeSpan.FromSeconds(2);
            options.Period = TimeSpan.FromSeconds(30);
            options.Predicate = check => check.Tags.Contains(ReadyTag);
        });
        return builder;
    }
}
