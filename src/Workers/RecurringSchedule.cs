using Hangfire;
using Microsoft.Extensions.Options;
using StreamSpace.Infrastructure.Features.Lifecycle;
using StreamSpace.Infrastructure.Runtimes;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Workers.Jobs;
using StreamSpace.Workers.Kubernetes;

namespace StreamSpace.Workers;

/// <summary>Every recurring job, registered in one place with an explicit id, in UTC.</summary>
public sealed class RecurringSchedule(IRecurringJobManager recurring, IOptions<HibernationOptions> hibernation, IOptions<RuntimeOptions> runtime)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        recurring.AddOrUpdate<IdleSweep>(IdleSweep.JobId, job => job.RunAsync(CancellationToken.None), Every(hibernation.Value.CheckIntervalSpan), utc);

        // Same cadence as the idle sweep (every minute by default): a lowered tier takes effect about as soon as an idle timeout.
        recurring.AddOrUpdate<QuotaEnforcement>(QuotaEnforcement.JobId, job => job.RunAsync(CancellationToken.None), Every(hibernation.Value.CheckIntervalSpan), utc);
        recurring.AddOrUpdate<SessionReconcile>(SessionReconcile.JobId, job => job.RunAsync(CancellationToken.None), Cron.Minutely(), utc);
        recurring.AddOrUpdate<UsageRollup>(UsageRollup.JobId, job => job.RunAsync(CancellationToken.None), Cron.Hourly(), utc);
        recurring.AddOrUpdate<HandoverTicketPruning>(HandoverTicketPruning.JobId, job => job.RunAsync(CancellationToken.None), Cron.Hourly(), utc);
        if (runtime.Value.Kind == RuntimeKind.Kubernetes)
        {
            recurring.AddOrUpdate<TenantNamespaceConvergence>(TenantNamespaceConvergence.JobId, job => job.RunAsync(CancellationToken.None), Cron.MinuteInterval(10), utc);
            recurring.AddOrUpdate<SessionResourceSync>(SessionResourceSync.JobId, job => job.RunAsync(CancellationToken.None), Cron.Minutely(), utc);
        }
        else
        {
            recurring.RemoveIfExists(TenantNamespaceConvergence.JobId);
            recurring.RemoveIfExists(SessionResourceSync.JobId);
        }
        recurring.AddOrUpdate<TokenPruning>(TokenPruning.JobId, job => job.RunAsync(CancellationToken.None), Cron.Daily(), utc);
        return Task.CompletedTask;
    }

    /// <summary>A cron expression for an interval: minutes when it is whole minutes, else Hangfire's seconds field.</summary>
    internal static string Every(TimeSpan interval) =>
        interval.TotalSeconds % 60 == 0
            ? $"*/{Math.Max(1, (int)interval.TotalMinutes)} * * * *"
            : $"*/{Math.Max(1, (int)interval.TotalSeconds)} * * * * *";

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
