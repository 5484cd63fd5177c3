using System.Text;
using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Tests.Integration.Streaming;
using static StreamSpace.Tests.Integration.Security.GatewayServerMessages;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>
/// The member owns the socket directory and can run their own VNC server there with clipboard-out on; the gateway, not the
/// server's flags, keeps the session's clipboard from a viewer whose tier forbids clipboard-out.
/// </summary>
public sealed class GatewayClipboardOutTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly byte[] Caps = ExtendedServerCutText(ClipboardCaps | ClipboardProvide | ClipboardText, [0, 0, 0x10, 0]);

    private static readonly byte[] Everything =
    [
        .. ServerCutText("secret copied in the session"),
        .. Caps,
        .. ExtendedServerCutText(ClipboardProvide | ClipboardText, Encoding.ASCII.GetBytes("zlib-compressed secret")),
        .. Bell(),
        .. RawUpdate(0x5a),
    ];

    [Fact]
    public async Task ServerCutText_and_extended_provide_from_a_member_run_server_never_reach_a_viewer_whose_tier_forbids_clipboard_out()
    {
        await using var session = GatewayFakeSession.Start(afterInit: Everything);
        await using var gateway = await GatewayHost.StartAsync();
        var id = gateway.AddSession(session.Endpoint, policy: new StreamPolicy(ClipboardIn: true, ClipboardOut: false));

        var relayed = await ReadAfterHandshakeAsync(gateway, id, Caps.Length + 1 + RawUpdate(0).Length);

        Assert.Equal([.. Caps, .. Bell(), .. RawUpdate(0x5a)], relayed);
    }

    [Fact]
    public async Task A_viewer_whose_tier_allows_clipboard_out_receives_the_session_s_bytes_untouched()
    {
        await using var session = GatewayFakeSession.Start(afterInit: Everything);
        await using var gateway = await GatewayHost.StartAsync();
        var id = gateway.AddSession(session.Endpoint, policy: new StreamPolicy(ClipboardIn: true, ClipboardOut: true));

        Assert.Equal(Everything, await ReadAfterHandshakeAsync(gateway, id, Everything.Length));
    }

    [Fact]
    public async Task A_message_the_gateway_cannot_measure_closes_the_stream_instead_of_passing_unread()
    {
        await using var session = GatewayFakeSession.Start(afterInit: [77, .. ServerCutText("hidden behind an unknown type")]);
        await using var gateway = await GatewayHost.StartAsync();
        var id = gateway.AddSession(session.Endpoint, policy: new StreamPolicy(ClipboardIn: true, ClipboardOut: false));
        using var timeout = new CancellationTokenSource(Patience);
        await using var viewer = await TestViewer.ConnectAsync(gateway.StreamUri(id), timeout.Token);
        await viewer.HandshakeAsync(timeout.Token);

        Assert.True(await viewer.WaitForCloseAsync(Patience));
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.ProtocolError, viewer.CloseStatus);
        Assert.Contains("message type 77", viewer.CloseDescription, StringComparison.Ordinal);
    }

    private static async Task<byte[]> ReadAfterHandshakeAsync(GatewayHost gateway, Guid id, int count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await using var viewer = await TestViewer.ConnectAsync(gateway.StreamUri(id), timeout.Token);
        await viewer.HandshakeAsync(timeout.Token);
        var relayed = await viewer.ReadBytesAsync(count, timeout.Token);
        await viewer.CloseOutputAsync();
        return relayed;
    }
}
