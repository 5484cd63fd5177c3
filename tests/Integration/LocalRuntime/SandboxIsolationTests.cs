namespace StreamSpace.Tests.Integration.LocalRuntime;

public sealed class SandboxIsolationTests(RuntimeFixture fixture) : IClassFixture<RuntimeFixture>
{
    // Runs as the app: records what the sandbox looks like from inside, then stays up like an app would.
    private const string Probe =
        "{ id -u; echo ---; for p in /proc/[0-9]*; do cat $p/comm; done; echo ---; cat /proc/net/dev; } > $HOME/probe.tmp"
        + " && mv $HOME/probe.tmp $HOME/probe.txt; exec sleep infinity";

    // The launcher and what it starts: bubblewrap's init, bash, Xvnc, the window manager (comm is cut at 15 characters), the probe.
    private static readonly string[] SandboxProcessNames = ["bwrap", "bash", "Xvnc", "matchbox-window", "sh", "cat", "sleep"];

    [Fact]
    public async Task Without_the_network_capability_the_app_runs_as_the_member_uid_and_sees_only_its_own_processes_and_loopback()
    {
        var uid = Specs.NextUid();
        var spec = Specs.Session(uid, Probe);

        await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        var probeFile = Path.Combine(fixture.HomeOf(spec), "probe.txt");
        await Eventually.TrueAsync(() => File.Exists(probeFile), "the probe has written its file");
        var sections = (await File.ReadAllTextAsync(probeFile)).Split("---\n");

        Assert.Equal(uid.ToString(System.Globalization.CultureInfo.InvariantCulture), sections[0].Trim());
        var processes = sections[1].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(processes, name => Assert.Contains(name, SandboxProcessNames));
        var interfaces = sections[2].Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).Select(line => line.Split(':')[0].Trim());
        Assert.Equal(["lo"], interfaces);
    }

    [Fact]
    public async Task The_app_gets_a_fresh_environment_with_home_and_XDG_directories_inside_the_sandbox()
    {
        var spec = Specs.Session(Specs.NextUid(), "env > $HOME/env.tmp && mv $HOME/env.tmp $HOME/env.txt; exec sleep infinity");

        await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        var envFile = Path.Combine(fixture.HomeOf(spec), "env.txt");
        await Eventually.TrueAsync(() => File.Exists(envFile), "the app has written its environment");
        var environment = (await File.ReadAllLinesAsync(envFile)).Select(line => line.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);

        Assert.Equal("/home/app", environment["HOME"]);
        Assert.Equal("/home/app/.config", environment["XDG_CONFIG_HOME"]);
        Assert.Equal("/home/app/.cache", environment["XDG_CACHE_HOME"]);
        Assert.Equal("/home/app/.local/share", environment["XDG_DATA_HOME"]);
        Assert.Equal("/run/user", environment["XDG_RUNTIME_DIR"]);
        Assert.Equal(":1", environment["DISPLAY"]);
        Assert.DoesNotContain(environment.Keys, name => name.StartsWith("DOTNET", StringComparison.Ordinal) || name == "SUDO_USER");
    }
}
