using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace StreamSpace.Infrastructure.Observability;

/// <summary>Creates the census collector at start-up and runs the management-port listener when one is configured.</summary>
public sealed class MetricsExporter(
    IServiceProvider services,
    StreamSpaceMetrics metrics,
    IOptions<MetricsOptions> options,
    ILogger<MetricsExporter> logger) : IHostedService, IDisposable
{
    private KestrelMetricServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetService<SessionCensusCollector>();
        if (options.Value.Port is { } port)
        {
            _server = new KestrelMetricServer(options.Value.Host, port, registry: metrics.Registry);
            _server.Start();
            logger.LogInformation("Metrics served at http://{Host}:{Port}/metrics", options.Value.Host, port);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync();
        }
    }

    public void Dispose() => _server?.Dispose();
}
