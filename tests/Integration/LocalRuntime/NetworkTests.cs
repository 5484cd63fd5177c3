namespace StreamSpace.Tests.Integration.LocalRuntime;

public sealed class NetworkTests(RuntimeFixture fixture) : IClassFixture<RuntimeFixture>
{
    [Fact]
    public async Task Two_sessions_with_the_network_capability_run_at_the_same_time()
    {
        var first = Specs.Session(Specs.NextUid(), capabilities: ["network"]);
        var second = Specs.Session(Specs.NextUid(), capabilities: ["network"]);

        var endpoints = await Task.WhenAll(
            fixture.Runtime.EnsureStartedAsync(first, new RecordedProgress(), CancellationToken.None),
            fixture.Runtime.EnsureStartedAsync(second, new RecordedProgress(), CancellationToken.None));

        Assert.Equal((1024, 768), await RfbClient.HandshakeAsync(endpoints[0].Address, password: null));
        Assert.Equal((1024, 768), await RfbClient.HandshakeAsync(endpoints[1].Address, password: null));
    }

    [Fact]
    public async Task With_the_network_capability_the_app_sees_the_host_network()
    {
        var spec = Specs.Session(Specs.NextUid(), "cat /proc/net/dev > $HOME/dev.tmp && mv $HOME/dev.tmp $HOME/dev.txt; exec sleep infinity", capabilities: ["network"]);

        await fixture.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        var devices = Path.Combine(fixture.HomeOf(spec), "dev.txt");
        await Eventually.TrueAsync(() => File.Exists(devices), "the app has listed its network devices");

        Assert.Equal(
            File.ReadAllLines("/proc/net/dev").Skip(2).Select(line => line.Split(':')[0].Trim()).Order(),
            (await File.ReadAllLinesAsync(devices)).Skip(2).Select(line => line.Split(':')[0].Trim()).Order());
    }
}
