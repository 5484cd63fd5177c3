using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;
using StreamSpace.Domain.Sessions;

namespace StreamSpace.Infrastructure.Observability;

/// <summary>
/// Session gauges computed from PostgreSQL when Prometheus scrapes (reused for <see cref="MetricsOptions.CensusCacheDuration"/>),
/// so they are right whichever process or replica answers and however many there are; plus the Hangfire queue depth.
/// </summary>
public sealed class SessionCensusCollector : IDisposable
{
    private readonly IServiceScopeFactory _scopes;
    private readonly JobStorage _jobs;
    private readonly TimeProvider _time;
    private readonly MetricsOptions _settings;
    private readonly ILogger<SessionCensusCollector> _logger;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Gauge _active;
    private readonly Gauge _hibernated;
    private readonly Gauge _byState;
    private readonly Gauge _resourceBytes;
    private readonly Gauge _cpuMillicores;
    private readonly Gauge _memoryPercent;
    private readonly Gauge _memoryCapacity;
    private readonly Gauge _cpuCapacity;
    private readonly Gauge _oldestTransitional;
    private readonly Gauge _queueDepth;
    private readonly Gauge _databaseUp;
    private DateTimeOffset _takenAt = DateTimeOffset.MinValue;

    public SessionCensusCollector(
        StreamSpaceMetrics metrics,
        IServiceScopeFactory scopes,
        JobStorage jobs,
        TimeProvider time,
        IOptions<MetricsOptions> options,
        ILogger<SessionCensusCollector> logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(options);
        _scopes = scopes;
        _jobs = jobs;
        _time = time;
        _settings = options.Value;
        _logger = logger;
        var factory = metrics.Factory;
        _active = factory.CreateGauge("streamspace_active_sessions_total", "Sessions running now.", ["tenant"]);
        _hibernated = factory.CreateGauge("streamspace_hibernated_sessions_total", "Sessions hibernated now.", ["tenant"]);
        _byState = factory.CreateGauge("streamspace_sessions", "Sessions in each state (terminated and failed ones are not counted).", ["tenant", "state"]);
        _resourceBytes = factory.CreateGauge(
            "streamspace_resource_usage_bytes", "Memory reserved by live sessions (pending to terminating).", ["tenant", "resource"]);
        _cpuMillicores = factory.CreateGauge("streamspace_resource_usage_cpu_millicores", "CPU reserved by live sessions.", ["tenant"]);
        _memoryPercent = factory.CreateGauge(
            "streamspace_cluster_memory_usage_percent", "Memory reserved by all live sessions, as a percentage of the capacity for sessions.");
        _memoryCapacity = factory.CreateGauge("streamspace_cluster_memory_capacity_bytes", "Memory available to sessions.");
        _cpuCapacity = factory.CreateGauge("streamspace_cluster_cpu_capacity_millicores", "CPU available to sessions.");
        _oldestTransitional = factory.CreateGauge(
            "streamspace_transitional_session_oldest_seconds", "How long the longest-waiting session has been in a transitional state.", ["state"]);
        _queueDepth = factory.CreateGauge("streamspace_job_queue_depth", "Background jobs waiting in a Hangfire queue.", ["queue"]);
        _databaseUp = factory.CreateGauge("streamspace_database_up", "1 when the last session census could read PostgreSQL, else 0.");
        metrics.Registry.AddBeforeCollectCallback(RefreshAsync);
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var now = _time.GetUtcNow();
            if (now - _takenAt < _settings.CensusCacheDuration)
            {
                return;
            }

            await TakeAsync(now, cancellationToken);
            _takenAt = now;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task TakeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        SessionCensusResult census;
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            census = await scope.ServiceProvider.GetRequiredService<SessionCensus>().TakeAsync(cancellationToken);
            _databaseUp.Set(1);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The scrape still answers (the process is up); the gauge and the readiness check say the database is not.
            _logger.LogWarning(e, "The session census could not read PostgreSQL");
            _databaseUp.Set(0);
            return;
        }

        foreach (var tenant in census.Tenants)
        {
            var mine = census.Groups.Where(g => g.Tenant == tenant).ToList();
            var live = mine.Where(g => SessionStateMachine.IsLive(g.State)).ToList();
            _active.WithLabels(tenant).Set(mine.Where(g => g.State == SessionState.Running).Sum(g => g.Count));
            _hibernated.WithLabels(tenant).Set(mine.Where(g => g.State == SessionState.Hibernated).Sum(g => g.Count));
            _resourceBytes.WithLabels(tenant, "memory").Set(live.Sum(g => g.MemoryBytes));
            _cpuMillicores.WithLabels(tenant).Set(live.Sum(g => g.CpuMillicores));
            foreach (var state in Enum.GetValues<SessionState>().Where(s => s is not (SessionState.Terminated or SessionState.Failed)))
            {
                _byState.WithLabels(tenant, state.ToString().ToLowerInvariant()).Set(mine.Where(g => g.State == state).Sum(g => g.Count));
            }
        }

        foreach (var state in SessionStateMachine.TransitionalStates)
        {
            var oldest = census.Groups.Where(g => g.State == state).Select(g => (DateTimeOffset?)g.OldestChange).Min();
            _oldestTransitional.WithLabels(state.ToString().ToLowerInvariant()).Set(oldest is { } at ? Math.Max(0, (now - at).TotalSeconds) : 0);
        }

        var memoryCapacity = _settings.CapacityMemoryBytes ?? MachineMemoryBytes();
        var reserved = census.Groups.Where(g => SessionStateMachine.IsLive(g.State)).Sum(g => g.MemoryBytes);
        _memoryCapacity.Set(memoryCapacity);
        _cpuCapacity.Set(_settings.CapacityCpuMillicores ?? Environment.ProcessorCount * 1000);
        _memoryPercent.Set(memoryCapacity > 0 ? 100.0 * reserved / memoryCapacity : 0);

        try
        {
            var monitoring = _jobs.GetMonitoringApi();
            _queueDepth.WithLabels("default").Set(0);
            foreach (var queue in monitoring.Queues())
            {
                _queueDepth.WithLabels(queue.Name).Set(queue.Length);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "The Hangfire queue depth could not be read");
        }
    }

    public void Dispose() => _refresh.Dispose();

    private static long MachineMemoryBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
}
