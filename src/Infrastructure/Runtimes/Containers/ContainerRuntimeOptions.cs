using System.ComponentModel.DataAnnotations;

namespace StreamSpace.Infrastructure.Runtimes.Containers;

/// <summary>
/// <c>Runtime:Containers</c>: how the one-machine installation runs image templates under Docker or Podman (Docker Engine API).
/// </summary>
public sealed class ContainerRuntimeOptions
{
    public const string Section = "Runtime:Containers";

    /// <summary>
    /// The engine's API (<c>unix:///run/podman/podman.sock</c>, <c>tcp://host:2375</c>). Unset: <c>DOCKER_HOST</c>, then
    /// <c>CONTAINER_HOST</c>, then the first of Podman's and Docker's default sockets that exists; none means image templates
    /// cannot run here and the catalog says so.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>Off: image templates are refused even when an engine is reachable.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where the session's app port is published on the host: loopback, so only the portal reaches it.</summary>
    public string PublishAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// The first of the host ports sessions are published on. The range lies below the kernel's ephemeral ports (32768 and
    /// up), so a port a stopped session gave back, whose forwarding rule the engine removes a moment later, is never the one
    /// the kernel hands the next program that listens on "any free port".
    /// </summary>
    [Range(1024, 65535)]
    public int PublishPortFirst { get; set; } = 20000;

    /// <summary>The last host port sessions are published on: the range bounds how many container sessions run at once.</summary>
    [Range(1024, 65535)]
    public int PublishPortLast { get; set; } = 29999;

    /// <summary>Each tenant's sessions share a bridge network of this prefix and the tenant slug; tenants cannot reach each other.</summary>
    public string NetworkPrefix { get; set; } = "streamspace-";

    /// <summary>How long an image pull may take before the session fails with what the engine said last.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "02:00:00")]
    public TimeSpan PullTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a started container has to answer on its port.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan ReadinessTimeout { get; set; } = TimeSpan.FromMinutes(3);

    [Range(16, 1_000_000)]
    public int PidsLimit { get; set; } = 1024;

    /// <summary>Open files per process. Engines default above some hosts' hard limit, where containers then fail to start.</summary>
    [Range(64, 1_048_576)]
    public int OpenFilesLimit { get; set; } = 1024;

    /// <summary>Processes per uid (<c>RLIMIT_NPROC</c>), for the same reason.</summary>
    [Range(64, 1_048_576)]
    public int ProcessesLimit { get; set; } = 4096;

    /// <summary>Upper bound of <c>/dev/shm</c> (browsers crash with the engine's 64 MB); never more than half the session's memory.</summary>
    public long SharedMemoryBytes { get; set; } = 1L << 30;
}
