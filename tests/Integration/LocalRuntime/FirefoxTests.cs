using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.LocalRuntime;

public sealed class FirefoxTests(RuntimeFixture fixture) : IClassFixture<RuntimeFixture>
{
    [Fact]
    public async Task Firefox_runs_with_its_own_profile_that_skips_first_run_pages()
    {
        var uid = Specs.NextUid();
        var spec = Specs.Session(uid, "firefox-esr", capabilities: ["network"], displayName: "Firefox ESR");
        var progress = new RecordedProgress();

        var endpoint = await fixture.Runtime.EnsureStartedAsync(spec, progress, CancellationToken.None);

        Assert.Equal(["Starting display…", "Starting Firefox…", "Ready"], progress.Reports);
        var preferences = await File.ReadAllTextAsync(Path.Combine(fixture.HomeOf(spec), ".mozilla", "streamspace", "user.js"));
        Assert.Contains("""user_pref("browser.aboutwelcome.enabled", false);""", preferences, StringComparison.Ordinal);
        Assert.Contains("""user_pref("browser.startup.homepage", "about:blank");""", preferences, StringComparison.Ordinal);
        await Eventually.TrueAsync(
            () => Directory.Exists(Path.Combine(fixture.HomeOf(spec), ".mozilla", "streamspace", "storage")),
            "Firefox has opened its profile",
            TimeSpan.FromSeconds(30));
        Assert.Contains(HostProcesses.NamesOwnedBy(uid), name => name.StartsWith("firefox", StringComparison.Ordinal));
        await RfbClient.HandshakeAsync(endpoint.Address, password: null);
    }
}
