using StreamSpace.Domain.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
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
    public async Task An_app_that_ignores_SIGTERM_lives_through_the_grace_period_and_is_killed_after_it()
    {
        var uid = Specs.NextUid();

        // The app notes each SIGTERM it shrugs off, and every moment it is still alive after one.
        var spec = Specs.Session(
            uid, """trap 'echo term >> "$HOME/signals"' TERM; echo started > "$HOME/started"; while :; do sleep 0.1; [ -e "$HOME/signals" ] && echo alive >> "$HOME/signals"; done""");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var grace = TimeSpan.FromSeconds(30);
        var runtime = new LocalSessionRuntime(
            Options.Create(new LocalRuntimeOptions { DataDirectory = fixture.DataDirectory, StopGracePeriod = grace }),
            clock,
            NullLogger<LocalSessionRuntime>.Instance);
        await RunWithTheClockAsync(runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None), clock);
        var signals = Path.Combine(fixture.HomeOf(spec), "signals");
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(fixture.HomeOf(spec), "started")), "the app runs");
        Assert.NotEmpty(HostProcesses.OwnedBy(uid));
        Assert.False(File.Exists(signals));

        // The clock stands still: the runtime sent SIGTERM and is inside its grace period, the app ignored it and runs on.
        var terminate = runtime.TerminateAsync(spec.Address, CancellationToken.None);
        await Eventually.TrueAsync(() => File.Exists(signals) && File.ReadAllLines(signals).Count(line => line == "alive") >= 3, "the app outlives SIGTERM");
        Assert.Equal("term", File.ReadAllLines(signals)[0]);
        Assert.False(terminate.IsCompleted);
        Assert.NotEmpty(HostProcesses.OwnedBy(uid));

        // Once the grace period is over, it is killed.
        clock.Advance(grace);
        await RunWithTheClockAsync(terminate, clock);
        Assert.Empty(HostProcesses.OwnedBy(uid));
        Assert.False(Directory.Exists(fixture.RunDirectoryOf(spec.SessionId)));
    }

    /// <summary>Moves the fake clock on in small steps until <paramref name="work"/> is done (it polls and waits on it).</summary>
    private static async Task RunWithTheClockAsync(Task work, FakeTimeProvider clock)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!work.IsCompleted)
        {
            clock.Advance(TimeSpan.FromMilliseconds(50));
            await Task.WhenAny(work, Task.Delay(10, timeout.Token));
        }

        await work;
    }
}
