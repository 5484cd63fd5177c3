using Hangfire;
using StreamSpace.Infrastructure.Jobs;
using StreamSpace.Infrastructure.Observability;
using StreamSpace.Infrastructure.Runtimes;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Workers.Jobs;
using StreamSpace.Workers.Kubernetes;

namespace StreamSpace.Workers;

public static class WorkersExtensions
{
    public static IHostApplicationBuilder AddWorkers(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddStreamSpaceMetrics(withCensus: false);
        builder.Services.AddHangfireServer((services, options) =>
        {
            options.FilterProvider = services.GetRequiredService<JobMetricsFilter>().WithGlobalFilters();
            options.ServerName = $"workers:{Environment.MachineName}:{Environment.ProcessId}";
            options.Queues = ["default"];
            options.WorkerCount = Math.Max(4, Environment.ProcessorCount * 2);
        });
        builder.Services.AddScoped<HandoverTicketPruning>();
        builder.Services.AddScoped<TokenPruning>();
        builder.Services.AddScoped<ISessionJobs, SessionJobs>();
        builder.Services.AddScoped<IdleSweep>();
        builder.Services.AddScoped<QuotaEnforcement>();
        builder.Services.AddScoped<SessionReconcile>();
        builder.Services.AddScoped<UsageRollup>();
        builder.Services.AddScoped<ITenantJobs, TenantSuspension>();
        builder.Services.AddScoped<TenantNamespaceConvergence>();
        builder.Services.AddScoped<INamespaceJobs>(services => services.GetRequiredService<TenantNamespaceConvergence>());
        builder.Services.AddHostedService<RecurringSchedule>();
        // Registered after the Hangfire server, so it stops first, while the database and the runtime are still there.
        builder.Services.AddHostedService<ShutdownHibernation>();
        if (builder.Configuration.GetValue<RuntimeKind?>($"{RuntimeOptions.Section}:{nameof(RuntimeOptions.Kind)}") == RuntimeKind.Kubernetes)
        {
            builder.Services.AddCustomResourceImport();
        }

        return builder;
    }
}
