using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StreamSpace.Infrastructure.Observability;

/// <summary>
/// Hangfire's storage answers (jobs can be enqueued). The number of live Workers servers is reported, not judged: Web stays
/// ready while Workers restart, and the WorkersDown alert covers them.
/// </summary>
public sealed class HangfireStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var monitoring = storage.GetMonitoringApi();
            var statistics = monitoring.GetStatistics();
            return Task.FromResult(HealthCheckResult.Healthy(
                $"{statistics.Servers} job server(s), {statistics.Enqueued} job(s) enqueued, {statistics.Failed} failed",
                new Dictionary<string, object> { ["servers"] = statistics.Servers, ["enqueued"] = statistics.Enqueued, ["failed"] = statistics.Failed }));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The Hangfire storage does not answer.", e));
        }
    }
}
