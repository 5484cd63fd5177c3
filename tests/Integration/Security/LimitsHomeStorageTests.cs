using StreamSpace.Infrastructure.Runtimes.Local;
using StreamSpace.Tests.Integration.LocalRuntime;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Security;

public sealed class LimitsHomeStorageTests(LimitsRuntimeFixture fixture) : IClassFixture<LimitsRuntimeFixture>
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task Launch_is_refused_when_the_home_is_over_the_tiers_storage_saying_the_limit_and_by_how_much()
    {
        var uid = Specs.NextUid();
        var spec = Specs.Session(uid) with { HomeStorageBytes = 1 * MiB };
        var home = fixture.HomeOf(spec);
        Directory.CreateDirectory(home);
        await File.WriteAllBytesAsync(Path.Combine(home, "filler.bin"), new byte[3 * MiB]);

        var refused = await Assert.ThrowsAsync<SandboxStartException>(
            () => fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None));

        Assert.Contains("uses 3 MiB, 2 MiB over the 1 MiB the tier allows", refused.Message, StringComparison.Ordinal);
        Assert.Empty(HostProcesses.OwnedBy(uid));
        Assert.False(Directory.Exists(fixture.RunDirectoryOf(spec.SessionId)));
    }

    [Fact]
    public async Task A_symlink_in_the_home_to_a_large_host_directory_does_not_count_against_its_storage()
    {
        var uid = Specs.NextUid();
        var spec = Specs.Session(uid) with { HomeStorageBytes = 1 * MiB };
        var home = fixture.HomeOf(spec);
        Directory.CreateDirectory(home);
        File.CreateSymbolicLink(Path.Combine(home, "usr"), "/usr");

        await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);

        Assert.Contains("Xvnc", HostProcesses.NamesOwnedBy(uid));
    }
}
