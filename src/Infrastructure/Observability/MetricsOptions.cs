using System.ComponentModel.DataAnnotations;

namespace StreamSpace.Infrastructure.Observability;

public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>
    /// The management port serving <c>/metrics</c> on its own listener (production: not reachable through the ingress). Unset:
    /// Web serves <c>/metrics</c> on its own port only to a scraper holding <see cref="ScrapeToken"/>, and Workers serves none.
    /// </summary>
    [Range(1, 65535)]
    public int? Port { get; set; }

    /// <summary>
    /// Without <see cref="Port"/>: the bearer token a scraper must send to read <c>/metrics</c> on Web's own port (the metrics name
    /// tenants). Unset too: Web serves no metrics at all. From the environment (<c>Metrics__ScrapeToken</c>), never a file.
    /// </summary>
    [MinLength(16)]
    public string? ScrapeToken { get; set; }

    /// <summary>Where the management listener binds: <c>+</c> (all interfaces, in a pod) or <c>127.0.0.1</c> on a shared machine.</summary>
    [Required]
    public string Host { get; set; } = "+";

    /// <summary>How long a database census of sessions is reused between scrapes (several Prometheus servers, several replicas).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan CensusCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Memory sessions may use in total, for <c>streamspace_cluster_memory_usage_percent</c>; unset: this machine's memory.</summary>
    [Range(1, long.MaxValue)]
    public long? CapacityMemoryBytes { get; set; }

    /// <summary>CPU sessions may use in total, in millicores; unset: this machine's processors.</summary>
    [Range(1, int.MaxValue)]
    public int? CapacityCpuMillicores { get; set; }
}
