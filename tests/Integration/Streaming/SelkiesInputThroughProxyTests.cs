using System.Net.WebSockets;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace StreamSpace.Tests.Integration.Streaming;

/// <summary>
/// A Selkies-shaped web client (tests/images/http/app.py, run on the host) behind the session proxy: what counts as input,
/// what reaches the app's home, and what the tier's clipboard rules keep out. Each test has its own session.
/// </summary>
public sealed class SelkiesInputThroughProxyTests(SelkiesAppPortal portal) : IClassFixture<SelkiesAppPortal>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>Longer than two activity flushes (one a second here): input recorded by then would be in the database.</summary>
    private static readonly TimeSpan FlushWindow = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Typed_keys_reach_the_apps_home_and_mark_the_session_active()
    {
        var (session, socket) = await OpenAsync("typing");
        var since = DateTimeOffset.UtcNow;

        await SendAsync(socket, "SETTINGS,{\"displayId\":\"primary\"}");
        foreach (var key in "hi there")
        {
            await SendAsync(socket, $"kd,{(int)key}");
            await SendAsync(socket, $"ku,{(int)key}");
        }

        Assert.True(await Deadline.WaitUntilAsync(() => portal.ReadHomeFile("typed.txt").Contains("hi there", StringComparison.Ordinal), Patience),
            $"typed.txt: '{portal.ReadHomeFile("typed.txt")}'");
        Assert.True(await Deadline.WaitUntilAsync(async () => await LastInputAsync(session) >= since, Patience), "Typed keys were not recorded as input.");
    }

    [Fact]
    public async Task Mouse_movement_marks_the_session_active()
    {
        var (session, socket) = await OpenAsync("pointer");
        var since = DateTimeOffset.UtcNow;

        await SendAsync(socket, "SETTINGS,{}");
        await SendAsync(socket, "m,120,80,0,0");

        Assert.True(await Deadline.WaitUntilAsync(async () => await LastInputAsync(session) >= since, Patience), "Pointer movement was not recorded as input.");
    }

    [Fact]
    public async Task Heartbeats_stats_settings_and_microphone_audio_reach_the_app_but_do_not_mark_the_session_active()
    {
        var (session, socket) = await OpenAsync("background");
        var since = DateTimeOffset.UtcNow;

        await SendAsync(socket, "SETTINGS,{\"displayId\":\"primary\"}");
        await SendAsync(socket, "_f,60");
        await SendAsync(socket, "pong");
        await SendAsync(socket, "_stats_video,{\"fps\":60}");
        await SendAsync(socket, "kh,65");
        await SendAsync(socket, "js,h,0");
        await socket.SendAsync(new byte[] { 0x02, 0, 0, 0, 0 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        await SendAsync(socket, "REQUEST_KEYFRAME");

        Assert.True(await Deadline.WaitUntilAsync(() => portal.ReadHomeFile("received.log").Contains("REQUEST_KEYFRAME", StringComparison.Ordinal), Patience),
            "The app did not receive the background messages.");
        Assert.False(await Deadline.WaitUntilAsync(async () => await LastInputAsync(session) >= since, FlushWindow),
            "Background traffic was recorded as input: an open tab would never hibernate.");
    }

    [Fact]
    public async Task A_paste_is_dropped_when_the_tier_refuses_clipboard_in_and_the_rest_still_flows()
    {
        await portal.SetClipboardAsync(clipboardIn: false, clipboardOut: false);
        try
        {
            var (_, socket) = await OpenAsync("paste-refused");
            var secret = $"secret-{Guid.NewGuid():N}";

            await SendAsync(socket, "SETTINGS,{}");
            await SendAsync(socket, "cw," + Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)));
            await SendFragmentedAsync(socket, "cw,", Convert.ToBase64String(Encoding.UTF8.GetBytes(secret + "-fragmented")));
            await socket.SendAsync(Gzipped("cw," + Convert.ToBase64String(Encoding.UTF8.GetBytes(secret + "-gzip"))), WebSocketMessageType.Binary, true, CancellationToken.None);
            var marker = $"z{Random.Shared.Next(1000, 9999)}";
            foreach (var key in marker)
            {
                await SendAsync(socket, $"kd,{(int)key}");
            }

            // Messages are handled in order: once the marker is typed, the pastes before it were handled too, or never arrived.
            Assert.True(await Deadline.WaitUntilAsync(() => portal.ReadHomeFile("typed.txt").Contains(marker, StringComparison.Ordinal), Patience));
            Assert.DoesNotContain(secret, portal.ReadHomeFile("clipboard.txt"), StringComparison.Ordinal);
        }
        finally
        {
            await portal.SetClipboardAsync(clipboardIn: true, clipboardOut: false);
        }
    }

    [Fact]
    public async Task A_paste_reaches_the_app_when_the_tier_allows_clipboard_in()
    {
        var (_, socket) = await OpenAsync("paste-allowed");
        var text = $"allowed-{Guid.NewGuid():N}";

        await SendAsync(socket, "SETTINGS,{}");
        await SendFragmentedAsync(socket, "cw,", Convert.ToBase64String(Encoding.UTF8.GetBytes(text)));

        Assert.True(await Deadline.WaitUntilAsync(() => portal.ReadHomeFile("clipboard.txt").Contains(text, StringComparison.Ordinal), Patience),
            $"clipboard.txt: '{portal.ReadHomeFile("clipboard.txt")}'");
    }

    [Fact]
    public async Task The_apps_clipboard_reaches_the_browser_only_when_the_tier_allows_clipboard_out()
    {
        var (_, refused) = await OpenAsync("copy-refused");
        await SendAsync(refused, "SETTINGS,{}");
        await SendAsync(refused, "cr");
        await SendAsync(refused, "ping-through");
        using (var timeout = new CancellationTokenSource(FlushWindow))
        {
            // app.py answers cr with "clipboard,…"; the proxy drops it, so nothing arrives.
            var buffer = new byte[256];
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await refused.ReceiveAsync(buffer, timeout.Token));
        }

        await portal.SetClipboardAsync(clipboardIn: true, clipboardOut: true);
        try
        {
            var (_, allowed) = await OpenAsync("copy-allowed");
            await SendAsync(allowed, "SETTINGS,{}");
            await SendAsync(allowed, "cr");
            var buffer = new byte[256];
            using var timeout = new CancellationTokenSource(Patience);
            var received = await allowed.ReceiveAsync(buffer, timeout.Token);
            Assert.Equal("clipboard," + Convert.ToBase64String("from the app"u8), Encoding.UTF8.GetString(buffer, 0, received.Count));
        }
        finally
        {
            await portal.SetClipboardAsync(clipboardIn: true, clipboardOut: false);
        }
    }

    [Fact]
    public async Task A_protocol_the_proxy_cannot_read_falls_back_to_traffic_as_activity_and_still_keeps_refused_pastes_out()
    {
        await portal.SetClipboardAsync(clipboardIn: false, clipboardOut: false);
        try
        {
            var (session, socket) = await OpenAsync("unknown");
            var since = DateTimeOffset.UtcNow;
            var secret = $"escaped-{Guid.NewGuid():N}";

            await SendAsync(socket, "hello from a client nobody knows");
            await SendAsync(socket, "cw," + Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)));
            await SendAsync(socket, "kd,33");

            Assert.True(await Deadline.WaitUntilAsync(async () => await LastInputAsync(session) >= since, Patience), "Traffic of an unknown protocol was not counted as activity.");
            Assert.True(await Deadline.WaitUntilAsync(() => portal.ReadHomeFile("received.log").Contains("hello from a client nobody knows", StringComparison.Ordinal), Patience));
            Assert.DoesNotContain(secret, portal.ReadHomeFile("clipboard.txt"), StringComparison.Ordinal);
        }
        finally
        {
            await portal.SetClipboardAsync(clipboardIn: true, clipboardOut: false);
        }
    }

    [Fact]
    public async Task The_browsers_offer_of_compressed_frames_never_reaches_the_app()
    {
        var session = await portal.AddRunningSessionAsync("deflate");
        var cookie = await portal.AppCookieAsync(session);

        using var socket = await portal.ConnectWebSocketAsync("deflate.acme.localhost", cookie, "/websocket",
            options => options.DangerousDeflateOptions = new WebSocketDeflateOptions());
        await SendAsync(socket, "SETTINGS,{}");

        Assert.True(await Deadline.WaitUntilAsync(() => portal.ReadHomeFile("received.log").Contains("extensions:", StringComparison.Ordinal), Patience));
        Assert.DoesNotContain("permessage-deflate", portal.ReadHomeFile("received.log"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rfb_key_events_mark_activity_and_a_refused_client_cut_text_is_cut_out_of_its_message()
    {
        await portal.SetClipboardAsync(clipboardIn: false, clipboardOut: true);
        try
        {
            var (session, socket) = await OpenAsync("rfb");
            var since = DateTimeOffset.UtcNow;

            await SendBinaryAsync(socket, "RFB 003.008\n"u8.ToArray());
            await SendBinaryAsync(socket, [1]);
            await SendBinaryAsync(socket, [1]);
            await SendBinaryAsync(socket, [3, 0, 0, 0, 0, 0, 0, 10, 0, 10]);
            Assert.False(await Deadline.WaitUntilAsync(async () => await LastInputAsync(session) >= since, FlushWindow),
                "The handshake and an update request were recorded as input.");

            // One WebSocket message holding a 13-byte ClientCutText and an 8-byte KeyEvent: only the key goes on.
            var cut = new byte[] { 6, 0, 0, 0, 0, 0, 0, 5, (byte)'s', (byte)'e', (byte)'c', (byte)'r', (byte)'t' };
            var key = new byte[] { 4, 1, 0, 0, 0, 0, 0, 0x61 };
            await SendBinaryAsync(socket, [.. cut, .. key]);

            Assert.True(await Deadline.WaitUntilAsync(() => portal.ReadHomeFile("received.log").Contains("binary:8\n", StringComparison.Ordinal), Patience),
                $"received.log: {portal.ReadHomeFile("received.log")}");
            Assert.DoesNotContain("binary:21\n", portal.ReadHomeFile("received.log"), StringComparison.Ordinal);
            Assert.True(await Deadline.WaitUntilAsync(async () => await LastInputAsync(session) >= since, Patience), "An RFB key event was not recorded as input.");
        }
        finally
        {
            await portal.SetClipboardAsync(clipboardIn: true, clipboardOut: false);
        }
    }

    private async Task<(Guid Session, ClientWebSocket Socket)> OpenAsync(string name)
    {
        var session = await portal.AddRunningSessionAsync(name);
        var cookie = await portal.AppCookieAsync(session);
        return (session, await portal.ConnectWebSocketAsync($"{name}.acme.localhost", cookie, "/websocket"));
    }

    private async Task<DateTimeOffset?> LastInputAsync(Guid session)
    {
        await using var db = portal.ContextOf(portal.Acme);
        return await db.Sessions.Where(s => s.Id == session).Select(s => s.LastInputAt).SingleAsync();
    }

    private static Task SendAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static Task SendBinaryAsync(ClientWebSocket socket, byte[] bytes) =>
        socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>One text message in two frames, the second cut again into small writes by the client's own framing.</summary>
    private static async Task SendFragmentedAsync(ClientWebSocket socket, string first, string rest)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(first), WebSocketMessageType.Text, false, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes(rest), WebSocketMessageType.Text, true, CancellationToken.None);
    }

    /// <summary>A Selkies <c>0x05</c> frame: a text message, gzip'd.</summary>
    private static byte[] Gzipped(string text)
    {
        using var output = new MemoryStream();
        output.WriteByte(0x05);
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }
}
