using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StreamSpace.Infrastructure.Runtimes.Local;
using Xunit.Abstractions;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.LocalRuntime;

public sealed class FailedStartTests(RuntimeFixture fixture, ITestOutputHelper output) : IClassFixture<RuntimeFixture>
{
    [Fact]
    public async Task An_app_that_exits_at_once_fails_the_start_with_its_reason_and_leaves_nothing_running()
    {
        var uid = Specs.NextUid();
        var spec = Specs.Session(uid, "sh -c 'echo boom >&2; exit 3'");

        var failure = await Assert.ThrowsAsync<SandboxStartException>(
            () => fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None));
        output.WriteLine(failure.Message);

        Assert.Contains("Terminal exited with code 3", failure.Message, StringComparison.Ordinal);
        Assert.Contains("boom", failure.Message, StringComparison.Ordinal);
        Assert.Empty(HostProcesses.OwnedBy(uid));
        Assert.False(Directory.Exists(fixture.RunDirectoryOf(spec.SessionId)));
    }

    [Fact]
    public async Task A_display_that_cannot_start_fails_the_start_with_Xvnc_s_own_words()
    {
        var uid = Specs.NextUid();
        var spec = Specs.Session(uid, screen: new StreamSpace.Domain.Sessions.ScreenSize(100000, 100000));

        var failure = await Assert.ThrowsAsync<SandboxStartException>(
            () => fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None));
        output.WriteLine(failure.Message);

        Assert.StartsWith("Xvnc exited with code", failure.Message, StringComparison.Ordinal);
        Assert.Empty(HostProcesses.OwnedBy(uid));
        Assert.False(Directory.Exists(fixture.RunDirectoryOf(spec.SessionId)));
    }

    [Fact]
    public async Task A_missing_binary_fails_the_start_naming_the_package_to_install()
    {
        var runtime = new LocalSessionRuntime(
            Options.Create(new LocalRuntimeOptions { DataDirectory = fixture.DataDirectory, XvncPath = "/usr/bin/no-such-Xvnc" }),
            TimeProvider.System,
            NullLogger<LocalSessionRuntime>.Instance);

        var failure = await Assert.ThrowsAsync<SandboxStartException>(
            () => runtime.EnsureStartedAsync(Specs.Session(Specs.NextUid()), new RecordedProgress(), CancellationToken.None));

        Assert.Contains("tigervnc-standalone-server", failure.Message, StringComparison.Ordinal);
    }
}
