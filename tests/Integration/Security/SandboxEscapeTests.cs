using StreamSpace.Domain.Sessions;
using System.Diagnostics;
using System.Globalization;
using StreamSpace.Infrastructure.Runtimes.Local;
using StreamSpace.Tests.Integration.LocalRuntime;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>
/// The sandbox escape of issue 15: a template's <c>LD_PRELOAD</c> running in bubblewrap's own (host) environment, and a
/// recorded pid namespace that is the host's, which turned Hibernate and Terminate into SIGKILL for every process on the host.
/// </summary>
public sealed class SandboxEscapeTests(RuntimeFixture fixture) : IClassFixture<RuntimeFixture>, IDisposable
{
    // Under /tmp, which every sandbox replaces with a tmpfs of its own: a marker there is written from outside or not at all.
    private readonly string _scratch = Directory.CreateTempSubdirectory("ss-escape-").FullName;
    private readonly List<Process> _hostProcesses = [];

    [Fact]
    public async Task A_template_LD_PRELOAD_library_never_runs_outside_the_sandbox()
    {
        File.SetUnixFileMode(_scratch, (UnixFileMode)0x1FF);
        var marker = Path.Combine(_scratch, "loaded-outside");
        var library = await BuildMarkerLibraryAsync(marker);
        // The library works: preloaded into a host process, it leaves its marker.
        var control = await ExternalTool.RunAsync("/usr/bin/env", [$"LD_PRELOAD={library}", "/bin/true"]);
        Assert.Equal(0, control.ExitCode);
        Assert.True(File.Exists(marker), "the test library leaves its marker when preloaded on the host");
        File.Delete(marker);
        var spec = Specs.Session(Specs.NextUid()) with
        {
            Environment = new Dictionary<string, string> { ["LD_PRELOAD"] = library, ["LD_LIBRARY_PATH"] = _scratch },
        };

        await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        await fixture.Runtime.TerminateAsync(spec.Address, CancellationToken.None);

        Assert.False(File.Exists(marker), "bubblewrap or something else outside the sandbox loaded the template's LD_PRELOAD library");
    }

    [Fact]
    public async Task The_recorded_pid_namespace_is_the_sandbox_s_own_not_the_host_s()
    {
        var spec = Specs.Session(Specs.NextUid());

        await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);

        var record = SandboxRecord.Load(Path.Combine(fixture.RunDirectoryOf(spec.SessionId), "sandbox.pid"));
        Assert.NotNull(record?.PidNamespace);
        Assert.NotEqual(ProcessTable.PidNamespace(Environment.ProcessId), record.PidNamespace);
        var xvnc = HostProcesses.OwnedBy(spec.MemberUid).Single(pid => File.ReadAllText($"/proc/{pid}/comm").Trim() == "Xvnc");
        Assert.Equal(record.PidNamespace, ProcessTable.PidNamespace(xvnc));
        await fixture.Runtime.TerminateAsync(spec.Address, CancellationToken.None);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Stopping_a_session_recorded_in_the_host_pid_namespace_signals_nothing_on_the_host(bool hibernate)
    {
        // A forged record: its pid is an ordinary host process and its namespace the host's, as a preload that forked first made it.
        var named = StartHostSleep();
        var bystander = StartHostSleep();
        _hostProcesses.AddRange([named, bystander]);
        var sessionId = Guid.NewGuid();
        var runDirectory = fixture.RunDirectoryOf(sessionId);
        Directory.CreateDirectory(runDirectory);
        var hostNamespace = ProcessTable.PidNamespace(Environment.ProcessId);
        new SandboxRecord(named.Id, ProcessTable.Read(named.Id)!.StartTime, hostNamespace).Save(Path.Combine(runDirectory, "sandbox.pid"));

        if (hibernate)
        {
            await fixture.Runtime.HibernateAsync(new SessionAddress("acme", sessionId), CancellationToken.None);
        }
        else
        {
            await fixture.Runtime.TerminateAsync(new SessionAddress("acme", sessionId), CancellationToken.None);
        }

        Assert.False(named.HasExited, "the process the forged record names was signalled");
        Assert.False(bystander.HasExited, "a host process in the host's pid namespace was signalled");
        Assert.False(Directory.Exists(runDirectory));
    }

    public void Dispose()
    {
        foreach (var process in _hostProcesses)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
        }

        Directory.Delete(_scratch, recursive: true);
    }

    private static Process StartHostSleep() =>
        Process.Start(new ProcessStartInfo("/bin/sleep", "300") { UseShellExecute = false })
            ?? throw new InvalidOperationException("sleep did not start");

    private async Task<string> BuildMarkerLibraryAsync(string marker)
    {
        var source = Path.Combine(_scratch, "marker.c");
        var library = Path.Combine(_scratch, "libmarker.so");
        await File.WriteAllTextAsync(source, string.Create(CultureInfo.InvariantCulture, $$"""
            #include <fcntl.h>
            #include <unistd.h>
            __attribute__((constructor)) static void mark(void) {
                int fd = open("{{marker}}", O_WRONLY | O_CREAT | O_APPEND, 0666);
                if (fd >= 0) { write(fd, "loaded\n", 7); close(fd); }
            }
            """));
        var compiled = await ExternalTool.RunAsync("cc", ["-shared", "-fPIC", "-o", library, source]);
        Assert.True(compiled.ExitCode == 0, compiled.Error);
        File.SetUnixFileMode(library, (UnixFileMode)0x1ED);
        return library;
    }
}
