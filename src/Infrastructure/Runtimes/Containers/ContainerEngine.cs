using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;

namespace StreamSpace.Infrastructure.Runtimes.Containers;

/// <summary>
/// The Docker Engine API this installation talks to (Docker, or Podman's API service), found once from the options and the
/// environment. Creating it connects to nothing: Web reads only whether there is one, Workers drives it.
/// </summary>
public sealed class ContainerEngine : IDisposable
{
    private static readonly string[] DefaultSockets = ["/run/podman/podman.sock", "/var/run/docker.sock"];
    private readonly Lazy<DockerClient>? _client;
    private readonly SemaphoreSlim _identify = new(1, 1);
    private bool? _isPodman;

    public ContainerEngine(IOptions<ContainerRuntimeOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Endpoint = options.Value.Enabled ? Resolve(options.Value.Endpoint, Environment.GetEnvironmentVariable, File.Exists) : null;
        if (Endpoint is { } endpoint)
        {
            _client = new Lazy<DockerClient>(() => new DockerClientBuilder().WithEndpoint(endpoint).Build());
        }
    }

    /// <summary>Where the engine listens; null when this installation has none (image templates cannot run).</summary>
    public Uri? Endpoint { get; }

    public bool IsConfigured => Endpoint is not null;

    /// <summary>Why an image template cannot launch here, in the words the catalog shows.</summary>
    public const string Missing = "Needs a container engine: this installation has no Docker or Podman (see the admin guide).";

    public DockerClient Client => _client?.Value ?? throw new InvalidOperationException(Missing);

    /// <summary>Podman's API answers as Docker's, except where a tenant network's isolation is asked for.</summary>
    public async Task<bool> IsPodmanAsync(CancellationToken cancellationToken)
    {
        if (_isPodman is { } known)
        {
            return known;
        }

        await _identify.WaitAsync(cancellationToken);
        try
        {
            var version = await Client.System.GetVersionAsync(cancellationToken);
            _isPodman = version.Components?.Any(c => c.Name.Contains("Podman", StringComparison.OrdinalIgnoreCase)) == true;
            return _isPodman.Value;
        }
        finally
        {
            _identify.Release();
        }
    }

    /// <summary>The configured endpoint, else <c>DOCKER_HOST</c>/<c>CONTAINER_HOST</c>, else a default socket that exists.</summary>
    public static Uri? Resolve(string? configured, Func<string, string?> environment, Func<string, bool> exists)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(exists);
        foreach (var candidate in new[] { configured, environment("DOCKER_HOST"), environment("CONTAINER_HOST") })
        {
            if (!string.IsNullOrWhiteSpace(candidate))
            {
                return new Uri(candidate.StartsWith('/') ? "unix://" + candidate : candidate);
            }
        }

        return DefaultSockets.Where(exists).Select(socket => new Uri("unix://" + socket)).FirstOrDefault();
    }

    public void Dispose()
    {
        if (_client is { IsValueCreated: true })
        {
            _client.Value.Dispose();
        }

        _identify.Dispose();
    }
}
