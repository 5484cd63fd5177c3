using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Sessions.Local;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>A local runtime with a small pids limit and a gateway group, over a fresh data directory under /tmp.</summary>
public sealed class LimitsRuntimeFixture : IAsyncLifetime
{
    public const int PidsLimit = 64;

    // A gid no group on the host uses: the test needs no /etc/group entry, the runtime takes a number as it is.
    public const int GatewayGid = 64123;

    private readonly ServiceProvider _services;

    public LimitsRuntimeFixture()
    {
        DataDirectory = Path.Combine("/tmp", "ss-limits-" + Guid.NewGuid().ToString("N")[..8]);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{LocalRuntimeOptions.Section}:{nameof(LocalRuntimeOptions.DataDirectory)}"] = DataDirectory,
                [$"{LocalRuntimeOptions.Section}:{nameof(LocalRuntimeOptions.StopGracePeriod)}"] = "00:00:02",
                [$"{LocalRuntimeOptions.Section}:{nameof(LocalRuntimeOptions.PidsLimit)}"] = PidsLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [$"{LocalRuntimeOptions.Section}:{nameof(LocalRuntimeOptions.GatewayGroup)}"] = GatewayGid.ToString(System.Globalization.CultureInfo.InvariantCulture),
                // Nested under the test process's own cgroup, so the test host's accounting still covers the sandboxes.
                [$"{LocalRuntimeOptions.Section}:{nameof(LocalRuntimeOptions.CgroupParent)}"] = "streamspace-limits-tests",
            })
            .Build();
        _services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddLocalSessionRuntime()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Runtime = _services.GetRequiredService<ISessionRuntime>();
    }

    public string DataDirectory { get; }

    public ISessionRuntime Runtime { get; }

    public string HomeOf(SessionSpec spec) => Path.Combine(DataDirectory, "homes", spec.TenantSlug, spec.MemberId.ToString("D"));

    public string RunDirectoryOf(Guid sessionId) => Path.Combine(DataDirectory, "run", sessionId.ToString("D"));

    public string SecretOf(Guid sessionId) => Path.Combine(DataDirectory, "secrets", sessionId.ToString("D") + ".vncpass");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var session in await Runtime.ObserveAsync(CancellationToken.None))
        {
            await Runtime.TerminateAsync(session.SessionId, CancellationToken.None);
        }

        await _services.DisposeAsync();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
