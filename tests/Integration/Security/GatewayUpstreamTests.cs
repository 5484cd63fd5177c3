using System.Net.WebSockets;
using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Tests.Integration.Streaming;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>What a member can do to the gateway from their own session: replace its server, stall it, or watch and resize.</summary>
public sealed class GatewayUpstreamTests
{
    private const string Password = "s3cr3tPw";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_member_run_Xvnc_offering_security_None_is_refused_when_the_runtime_set_a_password()
    {
        await using var xvnc = await XvncDisplay.StartAsync();
        await using var gateway = await GatewayHost.StartAsync();
        var id = gateway.AddSession(xvnc.Endpoint, Password);
        using var timeout = new CancellationTokenSource(Patience);
        await using var viewer = await TestViewer.ConnectAsync(gateway.StreamUri(id), timeout.Token);

        Assert.True(await viewer.WaitForCloseAsync(Patience));

        Assert.Equal(WebSocketCloseStatus.InternalServerError, viewer.CloseStatus);
        Assert.Contains(gateway.Log.Lines, line => line.Contains("without VncAuth, but its runtime set a VNC password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_session_that_never_finishes_its_handshake_does_not_delay_another_session_s_stream()
    {
        await using var stalled = GatewayFakeSession.Start(stall: true);

        // A socket name that shared a handshake stripe with the stalled one under the old striped gate.
        var name = Enumerable.Range(0, 100_000).Select(i => $"other-{i}.sock")
            .First(n => Stripe(Path.Combine(Path.GetDirectoryName(stalled.SocketPath)!, n)) == Stripe(stalled.SocketPath));
        await using var healthy = stalled.Beside(name);

        // Longer than the test's patience: a shared gate would make the healthy viewer wait past it.
        await using var gateway = await GatewayHost.StartAsync(options => options.HandshakeTimeout = TimeSpan.FromMinutes(2));
        using var timeout = new CancellationTokenSource(Patience);
        await using var waiting = await TestViewer.ConnectAsync(gateway.StreamUri(gateway.AddSession(stalled.Endpoint)), timeout.Token);
        Assert.True(await Deadline.WaitUntilAsync(() => stalled.Accepted == 1, Patience));

        await using var viewer = await TestViewer.ConnectAsync(gateway.StreamUri(gateway.AddSession(healthy.Endpoint)), timeout.Token);
        await viewer.HandshakeAsync(timeout.Token);

        Assert.Equal(0, stalled.Closed);
    }

    [Fact]
    public async Task A_read_only_watcher_s_SetDesktopSize_and_power_requests_never_reach_the_session()
    {
        await using var session = GatewayFakeSession.Start();
        await using var gateway = await GatewayHost.StartAsync();
        var id = gateway.AddSession(session.Endpoint, policy: new StreamPolicy(ClipboardIn: true, ViewOnly: true));
        using var timeout = new CancellationTokenSource(Patience);
        await using var watcher = await TestViewer.ConnectAsync(gateway.StreamUri(id), timeout.Token);
        await watcher.HandshakeAsync(timeout.Token);
        var request = RfbMessages.FramebufferUpdateRequest(false, 0, 0, 800, 600);

        await watcher.SendAsync([.. RfbMessages.SetDesktopSize(320, 200, 1), .. RfbMessages.Xvp(1, 2), .. request], timeout.Token);

        Assert.True(await Deadline.WaitUntilAsync(() => session.Received.Length >= request.Length, Patience));
        Assert.Equal(request, session.Received);
    }

    private static int Stripe(string path) => (StringComparer.Ordinal.GetHashCode("unix:" + path) & int.MaxValue) % 64;
}
