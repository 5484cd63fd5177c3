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
}
