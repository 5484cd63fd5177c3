using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Runtimes.Local;

namespace StreamSpace.Tests.Integration.LocalRuntime;

/// <summary>A runtime registered the way the hosts register it, over a fresh data directory under /tmp for one test class.</summary>
public class RuntimeFixture : IAsyncLifetime
{
    private readonly ServiceProvider _services;

    public RuntimeFixture()
        : this("ss-rt-", new Dictionary<string, string?>
        {
            [$"{LocalRuntimeOptions.Section}:{nameof(LocalRuntimeOptions.StopGracePeriod)}"] = "00:00:03",
            // Nested under the test process's own cgroup, so the test host's accounting still covers the sandboxes.
            [$"{LocalRuntimeOptions.Section}:{nameof(LocalRuntimeOptions.CgroupParent)}"] = "streamspace-tests",
        })
    {
    }

    /// <summary>A runtime with <paramref name="settings"/> (under <c>Runtime:Local</c>) over a directory named from <paramref name="prefix"/>.</summary>
    protected RuntimeFixture(string prefix, Dictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);

        // Under /tmp, not /root: the member uids must be able to walk down to their homes.
        DataDirectory = Path.Combine("/tmp", prefix + Guid.NewGuid().ToString("N")[..8]);
        settings[$"{LocalRuntimeOptions.Section}:{nameof(LocalRuntimeOptions.DataDirectory)}"] = DataDirectory;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
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
            await Runtime.TerminateAsync(session.Address, CancellationToken.None);
        }

        await _services.DisposeAsync();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
