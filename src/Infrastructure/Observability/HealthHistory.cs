using Microsoft.Extensions.Diagnostics.HealthChecks;
using Prometheus;

namespace StreamSpace.Infrastructure.Observability;

/// <summary>
/// The last health reports of this process, kept in memory (a restart forgets them; each replica has its own), for
/// <c>/platform/health</c>; and <c>streamspace_health_status</c> per check for the alerts (1 healthy, 0.5 degraded, 0 unhealthy).
/// </summary>
public sealed class HealthHistory : IHealthCheckPublisher
{
    public const int Capacity = 50;

    private readonly Lock _lock = new();
    private readonly LinkedList<HealthSnapshot> _reports = new();
    private readonly Gauge _status;
    private readonly TimeProvider _time;

    public HealthHistory(StreamSpaceMetrics metrics, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _time = time;
        _status = metrics.Factory.CreateGauge("streamspace_health_status", "Last result of a health check: 1 healthy, 0.5 degraded, 0 unhealthy.", ["check"]);
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<HealthSnapshot> Reports
    {
        get
        {
            lock (_lock)
            {
                return [.. _reports];
            }
        }
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        Record(report);
        return Task.CompletedTask;
    }

    public void Record(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var (name, entry) in report.Entries)
        {
            _status.WithLabels(name).Set(entry.Status switch { HealthStatus.Healthy => 1, HealthStatus.Degraded => 0.5, _ => 0 });
        }

        var snapshot = new HealthSnapshot(
            _time.GetUtcNow(),
            report.Status,
            report.TotalDuration,
            report.Entries.Select(e => new HealthEntrySnapshot(e.Key, e.Value.Status, e.Value.Description ?? e.Value.Exception?.Message, e.Value.Duration)).ToList());
        lock (_lock)
        {
            _reports.AddFirst(snapshot);
            while (_reports.Count > Capacity)
            {
                _reports.RemoveLast();
            }
        }
    }
}
