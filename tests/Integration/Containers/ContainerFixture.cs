using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Runtimes.Containers;
using StreamSpace.Infrastructure.Runtimes.Local;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;

namespace StreamSpace.Tests.Integration.Containers;

/// <summary>
/// The one-machine runtime as the hosts register it, over a fresh data directory, talking to the real engine CONTAINER_HOST
/// names, with the images scripts/test-images.sh built (no registry is reachable here).
/// </summary>
public sealed class ContainerFixture : IAsyncLifetime
{
    public const string RfbImage = "localhost/streamspace-test-rfb:1";
    public const string HttpImage = "localhost/streamspace-test-http:1";
    private static int _lastUid = 260000;
    private readonly ServiceProvider? _services;

    public ContainerFixture()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>With <c>Runtime:Containers</c> settings of a test's own (keys relative to that section).</summary>
    internal ContainerFixture(IReadOnlyDictionary<string, string?> containerSettings)
    {
        ArgumentNullException.ThrowIfNull(containerSettings);
        DataDirectory = Path.Combine("/tmp", "ss-ct-" + Guid.NewGuid().ToString("N")[..8]);
        var settings = new Dictionary<string, string?>
        {
            [$"{LocalRuntimeOptions.Section}:{nameof(LocalRuntimeOptions.DataDirectory)}"] = DataDirectory,
            [$"{ContainerRuntimeOptions.Section}:{nameof(ContainerRuntimeOptions.NetworkPrefix)}"] = "streamspace-it-",
        };
        foreach (var (key, value) in containerSettings)
        {
            settings[$"{ContainerRuntimeOptions.Section}:{key}"] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        if (ContainerEngine.Resolve(null, Environment.GetEnvironmentVariable, File.Exists) is null)
        {
            return;
        }

        _services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddLocalSessionRuntime()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Runtime = _services.GetRequiredService<ISessionRuntime>();
        Docker = _services.GetRequiredService<ContainerEngine>().Client;
    }

    public string DataDirectory { get; }

    public ISessionRuntime Runtime { get; } = null!;

    public DockerClient Docker { get; } = null!;

    public static int NextUid() => Interlocked.Increment(ref _lastUid);

    public string HomeOf(SessionSpec spec) => Path.Combine(DataDirectory, "homes", spec.TenantSlug, spec.MemberId.ToString("D"));

    /// <summary>A session of the RFB test image (Xvnc + xterm on 5900) for a new member of <paramref name="tenant"/>.</summary>
    public static SessionSpec Rfb(string tenant = "acme", string? appCommand = null, long memoryBytes = 256L << 20, string image = RfbImage)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (appCommand is not null)
        {
            env["APP_COMMAND"] = appCommand;
        }

        var id = Guid.NewGuid();
        return new SessionSpec(
            id, Guid.NewGuid(), tenant, Guid.NewGuid(), NextUid(), "test-rfb", "Test terminal", image, null, StreamProtocol.Rfb, 5900,
            memoryBytes, 500, [], env, ScreenSize.Default, ClipboardIn: true, ClipboardOut: true, UseVncAuth: true)
        {
            SessionName = "rfb-" + id.ToString("N")[..6],
            Runtime = SessionRuntimeKind.Container,
        };
    }

    /// <summary>A session of the http test image (tests/images/http/app.py on 3000: a Selkies-shaped web client) for a new member.</summary>
    public static SessionSpec Http(string tenant = "acme")
    {
        var id = Guid.NewGuid();
        return new SessionSpec(
            id, Guid.NewGuid(), tenant, Guid.NewGuid(), NextUid(), "test-http", "Test web client", HttpImage, null, StreamProtocol.Http, 3000,
            256L << 20, 500, [], new Dictionary<string, string>(StringComparer.Ordinal), ScreenSize.Default, ClipboardIn: true, ClipboardOut: true, UseVncAuth: false)
        {
            SessionName = "http-" + id.ToString("N")[..6],
            Runtime = SessionRuntimeKind.Container,
        };
    }

    /// <summary>The session's containers as the engine lists them (all states).</summary>
    public async Task<IList<ContainerListResponse>> ContainersOfAsync(Guid sessionId) =>
        await Docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{SessionLabels.Session}={sessionId:D}"] = true } },
        });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_services is null)
        {
            return;
        }

        foreach (var session in await Runtime.ObserveAsync(CancellationToken.None))
        {
            await Runtime.TerminateAsync(session.Address, CancellationToken.None);
        }

        foreach (var network in await Docker.Networks.ListNetworksAsync(new NetworksListParameters()))
        {
            if (network.Name.StartsWith("streamspace-it-", StringComparison.Ordinal))
            {
                await Docker.Networks.DeleteNetworkAsync(network.ID);
            }
        }

        await _services.DisposeAsync();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
