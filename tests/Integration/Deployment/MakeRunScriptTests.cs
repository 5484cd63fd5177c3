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

    public void Dispose()
    {
        Directory.Delete(_scratch, recursive: true);
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
