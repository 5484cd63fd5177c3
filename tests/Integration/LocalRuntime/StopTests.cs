using StreamSpace.Domain.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StreamSpace.Infrastructure.Runtimes.Local;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.LocalRuntime;

public sealed class StopTests(RuntimeFixture fixture) : IClassFixture<RuntimeFixture>
{
    [Fact]
    public async Task After_termination_no_process_of_the_session_remains_and_its_run_directory_is_gone()
    {
        var uid = Specs.NextUid();
        var spec = Specs.Session(uid);
        var endpoint = await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        var pid = HostProcesses.RecordedPid(fixture.RunDirectoryOf(spec.SessionId));
        Assert.Contains("Xvnc", HostProcesses.NamesOwnedBy(uid));

        await fixture.Runtime.TerminateAsync(spec.Address, CancellationToken.None);

        Assert.Empty(HostProcesses.OwnedBy(uid));
        Assert.False(HostProcesses.IsRunning(pid));
        Assert.False(File.Exists(endpoint.Address["unix:".Length..]));
        Assert.False(Directory.Exists(fixture.RunDirectoryOf(spec.SessionId)));
    }

    [Fact]
    public async Task After_hibernation_no_process_of_the_session_remains_and_its_run_directory_is_gone()
    {
        var uid = Specs.NextUid();
        var spec = Specs.Session(uid);
        var endpoint = await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        var pid = HostProcesses.RecordedPid(fixture.RunDirectoryOf(spec.SessionId));

        await fixture.Runtime.HibernateAsync(spec.Address, CancellationToken.None);

        Assert.Empty(HostProcesses.OwnedBy(uid));
        Assert.False(HostProcesses.IsRunning(pid));
        Assert.False(File.Exists(endpoint.Address["unix:".Length..]));
        Assert.False(Directory.Exists(fixture.RunDirectoryOf(spec.SessionId)));
        Assert.True(Directory.Exists(fixture.HomeOf(spec)));
    }

    [Fact]
    public async Task Stopping_a_session_that_is_not_running_succeeds()
    {
        var sessionId = Guid.NewGuid();

        await fixture.Runtime.HibernateAsync(new SessionAddress("acme", sessionId), CancellationToken.None);
        await fixture.Runtime.TerminateAsync(new SessionAddress("acme", sessionId), CancellationToken.None);
        await fixture.Runtime.TerminateAsync(new SessionAddress("acme", sessionId), CancellationToken.None);

        Assert.DoesNotContain(await fixture.Runtime.ObserveAsync(CancellationToken.None), session => session.SessionId == sessionId);
    }

    [Fact]
    public async Task An_app_that_ignores_SIGTERM_is_killed_after_the_grace_period()
    {
        var uid = Specs.NextUid();
        var spec = Specs.Session(uid, "trap '' TERM; while :; do sleep 1; done");
        var runtime = new LocalSessionRuntime(
            Options.Create(new LocalRuntimeOptions { DataDirectory = fixture.DataDirectory, StopGracePeriod = TimeSpan.FromSeconds(1) }),
            TimeProvider.System,
            NullLogger<LocalSessionRuntime>.Instance);
        await runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);

        await runtime.TerminateAsync(spec.Address, CancellationToken.None);

        Assert.Empty(HostProcesses.OwnedBy(uid));
        Assert.False(Directory.Exists(fixture.RunDirectoryOf(spec.SessionId)));
    }
}
