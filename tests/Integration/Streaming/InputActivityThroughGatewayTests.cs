using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Streaming;

public sealed class InputActivityThroughGatewayTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Key_and_pointer_events_mark_input_but_encodings_and_update_requests_do_not()
    {
        await using var xvnc = await XvncDisplay.StartAsync();
        await using var gateway = await GatewayHost.StartAsync();
        var session = gateway.AddSession(xvnc.Endpoint);
        using var timeout = new CancellationTokenSource(Patience);
        await using var viewer = await TestViewer.ConnectAsync(gateway.StreamUri(session), timeout.Token);
        await viewer.HandshakeAsync(timeout.Token);

        await viewer.SetEncodingsAsync(timeout.Token, 0);
        await RoundTripAsync(viewer, timeout.Token);
        var connected = Assert.Single(gateway.Activity.Drain(), a => a.SessionId == session);
        Assert.NotNull(connected.LastConnectionAt);
        Assert.Null(connected.LastInputAt);

        await viewer.SendAsync(RfbMessages.PointerEvent(0, 100, 100), timeout.Token);
        await RoundTripAsync(viewer, timeout.Token);
        var afterPointer = Assert.Single(gateway.Activity.Drain(), a => a.SessionId == session);
        Assert.NotNull(afterPointer.LastInputAt);

        await viewer.SendAsync([.. RfbMessages.KeyEvent(true, 0xffe1), .. RfbMessages.KeyEvent(false, 0xffe1)], timeout.Token);
        await RoundTripAsync(viewer, timeout.Token);
        var afterKey = Assert.Single(gateway.Activity.Drain(), a => a.SessionId == session);
        Assert.True(afterKey.LastInputAt >= afterPointer.LastInputAt);

        await RoundTripAsync(viewer, timeout.Token);
        Assert.DoesNotContain(gateway.Activity.Drain(), a => a.SessionId == session && a.LastInputAt is not null);
    }

    /// <summary>The gateway notes input before forwarding it, so once the session answers a later request it is recorded.</summary>
    private static async Task RoundTripAsync(TestViewer viewer, CancellationToken cancellationToken)
    {
        await viewer.RequestUpdateAsync(false, 0, 0, 1, 1, cancellationToken);
        await viewer.ReadFramebufferUpdateAsync(cancellationToken);
    }
}
