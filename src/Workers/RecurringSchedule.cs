using Hangfire;
using StreamSpace.Workers.Jobs;

namespace StreamSpace.Workers;

/// <summary>Every recurring job, registered in one place with an explicit id, in UTC.</summary>
public sealed class RecurringSchedule(IRecurringJobManager recurring) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        recurring.AddOrUpdate<HandoverTicketPruning>(HandoverTicketPruning.JobId, job => job.RunAsync(CancellationToken.None), Cron.Hourly(), utc);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
