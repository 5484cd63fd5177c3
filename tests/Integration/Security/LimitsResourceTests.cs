using System.Diagnostics;
using StreamSpace.Tests.Integration.LocalRuntime;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Security;

public sealed class LimitsResourceTests(LimitsRuntimeFixture fixture) : IClassFixture<LimitsRuntimeFixture>
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task A_session_with_64_MiB_that_allocates_300_MB_is_OOM_killed_and_never_holds_more_than_its_memory()
    {
        var uid = Specs.NextUid();
        // tail keeps a line without a newline whole in memory: 300 MB of zeros is a 300 MB allocation.
        var spec = Specs.Session(uid, "head -c 300M /dev/zero | tail > /dev/null; echo $? > $HOME/alloc.txt; exec sleep infinity") with
        {
            MemoryBytes = 64 * MiB,
        };

        await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        var result = Path.Combine(fixture.HomeOf(spec), "alloc.txt");
        await Eventually.TrueAsync(() => File.Exists(result) && new FileInfo(result).Length > 0, "the allocation has ended", TimeSpan.FromSeconds(60));

        // 137 = 128 + SIGKILL: the kernel's OOM killer ended the allocation inside the sandbox's cgroup.
        Assert.Equal("137", (await File.ReadAllTextAsync(result)).Trim());
        var pid = HostProcesses.RecordedPid(fixture.RunDirectoryOf(spec.SessionId));
        var peak = LimitsProbe.CgroupFile(pid, "memory", "memory.max_usage_in_bytes") ?? LimitsProbe.CgroupFile(pid, "memory", "memory.peak");
        Assert.NotNull(peak);
        Assert.InRange(long.Parse(peak, System.Globalization.CultureInfo.InvariantCulture), 1, 64 * MiB);
        Assert.Contains("Xvnc", HostProcesses.NamesOwnedBy(uid));
    }

    [Fact]
    public async Task A_session_forking_a_thousand_processes_stops_at_the_pids_limit_and_the_host_keeps_forking()
    {
        var uid = Specs.NextUid();
        // Once the display is up (Xvnc forks xkbcomp as it starts), the inner shell forks until it cannot; the outer one then
        // records how that ended and stays up without forking.
        var spec = Specs.Session(
            uid,
            "sleep 2; sh -c 'i=0; while [ $i -lt 1000 ]; do sleep 600 & i=$((i+1)); done' 2>/dev/null; echo $? > $HOME/bomb.txt; exec sleep infinity");

        await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        var result = Path.Combine(fixture.HomeOf(spec), "bomb.txt");
        await Eventually.TrueAsync(() => File.Exists(result) && new FileInfo(result).Length > 0, "the forking has ended", TimeSpan.FromSeconds(60));

        Assert.InRange(LimitsProbe.TasksOf(uid), 1, LimitsRuntimeFixture.PidsLimit);
        Assert.NotEqual("0", (await File.ReadAllTextAsync(result)).Trim());
        using (var host = Process.Start("/bin/true"))
        {
            await host!.WaitForExitAsync();
            Assert.Equal(0, host.ExitCode);
        }

        await fixture.Runtime.TerminateAsync(spec.Address, CancellationToken.None);
        Assert.Empty(HostProcesses.OwnedBy(uid));
    }

    [Fact]
    public async Task A_session_burning_two_cores_gets_no_more_than_its_cpu_quota()
    {
        var uid = Specs.NextUid();
        var spec = Specs.Session(uid, "while :; do :; done & while :; do :; done") with { CpuMillicores = 200 };

        await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        var pid = HostProcesses.RecordedPid(fixture.RunDirectoryOf(spec.SessionId));
        var quota = LimitsProbe.CgroupFile(pid, "cpu", "cpu.cfs_quota_us") ?? LimitsProbe.CgroupFile(pid, "cpu", "cpu.max");
        Assert.True(quota is "20000" or "20000 100000", $"CPU quota is {quota ?? "not set"}");

        var before = LimitsProbe.CpuSecondsOf(uid);
        var clock = Stopwatch.StartNew();
        // A measuring window, not a synchronisation: the quota is a rate over time.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var used = LimitsProbe.CpuSecondsOf(uid) - before;

        Assert.True(used <= 0.2 * clock.Elapsed.TotalSeconds * 1.5, $"the session used {used:0.00} CPU seconds in {clock.Elapsed.TotalSeconds:0.0} s");
    }
}
