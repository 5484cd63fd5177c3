using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StreamSpace.Infrastructure.Runtimes.Local;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.LocalRuntime;

public sealed class IdempotenceTests(RuntimeFixture fixture) : IClassFixture<RuntimeFixture>
{
    [Fact]
    public async Task Starting_a_running_session_again_returns_the_same_endpoint_and_starts_no_second_sandbox()
    {
        var uid = Specs.NextUid();
        var spec = Specs.Session(uid);

        var first = await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        var pid = HostProcesses.RecordedPid(fixture.RunDirectoryOf(spec.SessionId));
        var again = new RecordedProgress();
        var second = await fixture.Runtime.EnsureStartedAsync(spec, again, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(["Ready"], again.Reports);
        Assert.Equal(pid, HostProcesses.RecordedPid(fixture.RunDirectoryOf(spec.SessionId)));
        Assert.Single(HostProcesses.NamesOwnedBy(uid), name => name == "Xvnc");
    }

    [Fact]
    public async Task A_new_runtime_instance_finds_the_running_session_after_a_restart_and_starts_no_second_sandbox()
    {
        var uid = Specs.NextUid();
        var spec = Specs.Session(uid);
        var first = await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        var restarted = new LocalSessionRuntime(
            Options.Create(new LocalRuntimeOptions { DataDirectory = fixture.DataDirectory }),
            TimeProvider.System,
            NullLogger<LocalSessionRuntime>.Instance);

        var observed = await restarted.ObserveAsync(CancellationToken.None);
        var second = await restarted.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);

        Assert.Contains(observed, session => session.SessionId == spec.SessionId && session.Running && session.Endpoint == first);
        Assert.Equal(first, second);
        Assert.Single(HostProcesses.NamesOwnedBy(uid), name => name == "Xvnc");
        await restarted.HibernateAsync(spec.Address, CancellationToken.None);
        Assert.Empty(HostProcesses.OwnedBy(uid));
    }

    [Fact]
    public async Task A_session_whose_sandbox_died_is_observed_as_not_running_and_starts_again()
    {
        var uid = Specs.NextUid();
        var spec = Specs.Session(uid);
        await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        var pid = HostProcesses.RecordedPid(fixture.RunDirectoryOf(spec.SessionId));
        using (var sandbox = Process.GetProcessById(pid))
        {
            sandbox.Kill(entireProcessTree: true);
        }

        await Eventually.TrueAsync(() => !HostProcesses.IsRunning(pid), "the killed sandbox is gone");

        var observed = await fixture.Runtime.ObserveAsync(CancellationToken.None);
        var endpoint = await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);

        Assert.Contains(observed, session => session.SessionId == spec.SessionId && !session.Running && session.Endpoint is null);
        await RfbClient.HandshakeAsync(endpoint.Address, password: null);
        Assert.NotEqual(pid, HostProcesses.RecordedPid(fixture.RunDirectoryOf(spec.SessionId)));
    }
}
