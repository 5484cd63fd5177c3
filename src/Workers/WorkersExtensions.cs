using Hangfire;
using StreamSpace.Infrastructure.Jobs;
using StreamSpace.Workers.Jobs;

namespace StreamSpace.Workers;

public static class WorkersExtensions
{
    public static IHostApplicationBuilder AddWorkers(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHangfireServer(options =>
        {
            options.ServerName = $"workers:{Environment.MachineName}:{Environment.ProcessId}";
            options.Queues = ["default"];
            options.WorkerCount = Math.Max(4, Environment.ProcessorCount * 2);
        });
        builder.Services.AddScoped<HandoverTicketPruning>();
        builder.Services.AddScoped<TokenPruning>();
        builder.Services.AddScoped<ISessionJobs, SessionJobs>();
        builder.Services.AddSingleton<TenantScope>();
        builder.Services.AddScoped<SessionHibernation>();
        builder.Services.AddScoped<IdleSweep>();
        builder.Services.AddScoped<QuotaEnforcement>();
        builder.Services.AddScoped<SessionReconcile>();
        builder.Services.AddScoped<UsageRollup>();
        builder.Services.AddHostedService<RecurringSchedule>();
        return builder;
    }
}
