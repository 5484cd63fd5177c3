using StreamSpace.Tests.Integration.Lifecycle;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Observability;

/// <summary>
/// The lifecycle portal (Web in-process, the Workers' real Hangfire server beside it) with the session census read on every
/// scrape, and the Workers serving <c>/metrics</c> on a management port of their own, as in production.
/// </summary>
public sealed class ObservabilityPortal : LifecyclePortal
{
    public int WorkersMetricsPort { get; } = FreePort.Next();

    /// <summary>Scrapes the Web app's <c>/metrics</c> (on its own port, as in development).</summary>
    public async Task<MetricsScrape> ScrapeWebAsync()
    {
        using var client = ClientFor(null);
        client.DefaultRequestHeaders.Authorization = new("Bearer", MetricsScrapeToken);
        return new MetricsScrape(await client.GetStringAsync("/metrics"));
    }

    /// <summary>Scrapes the Workers' <c>/metrics</c> over a real socket on the management port.</summary>
    public async Task<MetricsScrape> ScrapeWorkersAsync()
    {
        using var client = new HttpClient();
        return new MetricsScrape(await client.GetStringAsync(new Uri($"http://127.0.0.1:{WorkersMetricsPort}/metrics")));
    }

    protected override Dictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Metrics:CensusCacheDuration"] = "00:00:00";
        return settings;
    }

    protected override IEnumerable<KeyValuePair<string, string?>> WorkersSettings() =>
        [new("Metrics:Port", WorkersMetricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("Metrics:Host", "127.0.0.1")];
}
