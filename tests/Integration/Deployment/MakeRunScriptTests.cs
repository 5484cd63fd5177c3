using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Deployment;

/// <summary>The shell functions behind <c>make run</c> (scripts/lib.sh), run by bash as make does.</summary>
public sealed class MakeRunScriptTests : IDisposable
{
    private static readonly UnixFileMode Searchable = (UnixFileMode)Convert.ToInt32("755", 8);
    private readonly string _scratch = Directory.CreateTempSubdirectory("ss-makerun-").FullName;

    public MakeRunScriptTests() => File.SetUnixFileMode(_scratch, Searchable);

    [Fact]
    public async Task A_checkout_under_a_private_directory_keeps_its_data_where_the_postgres_user_can_reach_it()
    {
        var home = Path.Combine(_scratch, "root");
        var checkout = Path.Combine(home, "streamspace");
        Directory.CreateDirectory(checkout);
        File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var state = Path.Combine(_scratch, "state");

        var data = await ResolveDataDirAsync(checkout, state);

        Assert.StartsWith(state + "/", data, StringComparison.Ordinal);
        Assert.Equal(data, new FileInfo(Path.Combine(checkout, ".data")).ResolveLinkTarget(returnFinalTarget: true)?.FullName);
        var (reachable, _, _) = await ExternalTool.RunAsync("runuser", ["-u", "postgres", "--", "test", "-x", data]);
        Assert.Equal(0, reachable);

        // The second run finds the same place through the link.
        Assert.Equal(data, await ResolveDataDirAsync(checkout, state));
    }

    [Fact]
    public async Task A_checkout_every_user_can_reach_keeps_its_data_in_dot_data()
    {
        var checkout = Path.Combine(_scratch, "srv", "streamspace");
        Directory.CreateDirectory(checkout);
        var data = await ResolveDataDirAsync(checkout, Path.Combine(_scratch, "state"));

        Assert.Equal(Path.Combine(checkout, ".data"), data);
        Assert.False(Directory.Exists(Path.Combine(_scratch, "state")));
    }

    [Fact]
    public async Task Make_run_installs_only_what_running_needs()
    {
        var (exitCode, output, error) = await ExternalTool.RunAsync(
            "bash", ["-c", """source scripts/lib.sh; printf '%s\n' "${RUN_REQUIREMENTS[@]}" """]);
        Assert.True(exitCode == 0, error);
        var packages = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line[(line.LastIndexOf(':') + 1)..]).ToList();

        Assert.Contains("curl", packages);
        Assert.Contains("bubblewrap", packages);
        foreach (var testOnly in new[] { "chromium", "golang-go", "wrk", "websockify", "prometheus", "xclip" })
        {
            Assert.DoesNotContain(testOnly, packages);
        }
    }

    [Fact]
    public async Task Installing_packages_starts_no_system_service_and_leaves_no_policy_behind()
    {
        var policy = Path.Combine(_scratch, "policy-rc.d");
        var (exitCode, log, error) = await InstallWithFakeAptAsync(policy);

        Assert.True(exitCode == 0, error);
        Assert.Contains("apt-get install -y -qq --no-install-recommends prometheus", log, StringComparison.Ordinal);
        Assert.Equal(2, log.Split('\n').Count(line => line == "policy-rc.d answers 101"));
        Assert.False(File.Exists(policy));
    }

    [Fact]
    public async Task A_policy_rc_d_the_machine_already_has_is_left_as_it_was()
    {
        var policy = Path.Combine(_scratch, "policy-rc.d");
        await File.WriteAllTextAsync(policy, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(policy, Searchable);

        var (exitCode, log, error) = await InstallWithFakeAptAsync(policy);

        Assert.True(exitCode == 0, error);
        Assert.Contains("policy-rc.d answers 0", log, StringComparison.Ordinal);
        Assert.Equal("#!/bin/sh\nexit 0\n", await File.ReadAllTextAsync(policy));
    }

    [Theory]
    [InlineData("run")]
    [InlineData("test")]
    public async Task Make_run_and_make_test_refuse_an_unprivileged_user_before_anything_else(string purpose)
    {
        // A copy the unprivileged user can read, outside a checkout it may not reach.
        var scripts = Directory.CreateDirectory(Path.Combine(_scratch, "scripts")).FullName;
        foreach (var script in new[] { "lib.sh", "run.sh", "test.sh" })
        {
            File.Copy(Path.Combine(Repository.Root, "scripts", script), Path.Combine(scripts, script));
        }

        var (exitCode, output, error) = await ExternalTool.RunAsync(
            "setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", "bash", Path.Combine(scripts, $"{purpose}.sh")],
            workingDirectory: _scratch);

        Assert.Equal(1, exitCode);
        Assert.Contains($"StreamSpace {purpose} needs root", error, StringComparison.Ordinal);
        Assert.Contains($"sudo make {purpose}", error, StringComparison.Ordinal);
        Assert.DoesNotContain("apt-get", error, StringComparison.Ordinal);
        Assert.DoesNotContain("==>", output + error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Directory.Delete(_scratch, recursive: true);
    }

    /// <summary>Runs <c>apt_install_without_services prometheus</c> with an apt-get that logs its calls and what policy-rc.d answers then.</summary>
    private async Task<(int ExitCode, string Log, string Error)> InstallWithFakeAptAsync(string policy)
    {
        var bin = Directory.CreateDirectory(Path.Combine(_scratch, "bin")).FullName;
        var log = Path.Combine(_scratch, "apt.log");
        var aptGet = Path.Combine(bin, "apt-get");
        await File.WriteAllTextAsync(aptGet, $$"""
            #!/bin/sh
            echo "apt-get $*" >> '{{log}}'
            if [ -x '{{policy}}' ]; then '{{policy}}' prometheus start; echo "policy-rc.d answers $?" >> '{{log}}'; else echo "no policy-rc.d" >> '{{log}}'; fi

            """.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(aptGet, Searchable);

        var (exitCode, _, error) = await ExternalTool.RunAsync(
            "bash",
            ["-c", "source scripts/lib.sh; apt_install_without_services prometheus"],
            new Dictionary<string, string>
            {
                ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}",
                ["STREAMSPACE_POLICY_RC_D"] = policy,
            });
        return (exitCode, File.Exists(log) ? await File.ReadAllTextAsync(log) : "", error);
    }

    private static async Task<string> ResolveDataDirAsync(string checkout, string stateRoot)
    {
        var (exitCode, output, error) = await ExternalTool.RunAsync(
            "bash",
            ["-c", $"source scripts/lib.sh; ROOT='{checkout}'; resolve_data_dir"],
            new Dictionary<string, string> { ["STREAMSPACE_STATE_ROOT"] = stateRoot });
        Assert.True(exitCode == 0, error);
        return output.Trim();
    }
}
