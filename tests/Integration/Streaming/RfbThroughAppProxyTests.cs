using System.Buffers;
using System.Security.Cryptography;
using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Web.Streaming;

namespace StreamSpace.Tests.Integration.Streaming;

/// <summary>
/// RFB over an http app's WebSocket (KasmVNC-style images), both directions through the proxy's inspector, pure: the
/// app's ServerCutText never reaches a browser whose tier refuses clipboard-out, and everything else does.
/// </summary>
public sealed class RfbThroughAppProxyTests
{
    private static readonly byte[] PixelFormat = [32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0];

    [Fact]
    public void The_apps_clipboard_is_cut_out_of_its_rfb_stream_when_the_tier_refuses_clipboard_out()
    {
        using var inspector = new AppSocketInspector(new StreamPolicy(ClipboardIn: true, ClipboardOut: false), () => { });
        var toBrowser = new ArrayBufferWriter<byte>();
        var toApp = new ArrayBufferWriter<byte>();
        byte[] serverInit = [0, 1, 0, 1, .. PixelFormat, 0, 0, 0, 0];
        byte[] cutText = [3, 0, 0, 0, 0, 0, 0, 6, .. "secret"u8];
        byte[] emptyUpdate = [0, 0, 0, 0];

        App(inspector, toBrowser, "RFB 003.008\n"u8.ToArray());
        Browser(inspector, toApp, "RFB 003.008\n"u8.ToArray());
        App(inspector, toBrowser, [1, 1]);
        Browser(inspector, toApp, [1]);
        App(inspector, toBrowser, [0, 0, 0, 0, .. serverInit]);
        Browser(inspector, toApp, [1]);

        // The clipboard straddles two WebSocket messages; RFB does not care where they end, nor does the filter.
        App(inspector, toBrowser, [.. emptyUpdate, .. cutText[..5]]);
        App(inspector, toBrowser, [.. cutText[5..], .. emptyUpdate]);

        Assert.Equal(
            [.. "RFB 003.008\n"u8, 1, 1, 0, 0, 0, 0, .. serverInit, .. emptyUpdate, .. emptyUpdate],
            Payloads(toBrowser.WrittenSpan));
    }

    [Fact]
    public void The_apps_rfb_stream_goes_on_untouched_when_the_tier_allows_clipboard_out()
    {
        using var inspector = new AppSocketInspector(new StreamPolicy(ClipboardIn: true, ClipboardOut: true), () => { });
        var toBrowser = new ArrayBufferWriter<byte>();
        byte[] frame = [0x82, 14, 3, 0, 0, 0, 0, 0, 0, 6, .. "secret"u8];

        inspector.FromApp.Process(frame, toBrowser);

        Assert.Equal(frame, toBrowser.WrittenSpan.ToArray());
    }

    private static void App(AppSocketInspector inspector, ArrayBufferWriter<byte> output, byte[] payload) =>
        inspector.FromApp.Process([0x82, (byte)payload.Length, .. payload], output);

    private static void Browser(AppSocketInspector inspector, ArrayBufferWriter<byte> output, byte[] payload)
    {
        var mask = RandomNumberGenerator.GetBytes(4);
        inspector.FromBrowser.Process([0x82, (byte)(0x80 | payload.Length), .. mask, .. payload.Select((b, i) => (byte)(b ^ mask[i & 3]))], output);
    }

    /// <summary>The payloads of unmasked frames, one after another.</summary>
    private static byte[] Payloads(ReadOnlySpan<byte> frames)
    {
        var payloads = new List<byte>();
        while (!frames.IsEmpty)
        {
            var length = frames[1] & 0x7F;
            Assert.True(length < 126, "The test's frames are short.");
            payloads.AddRange(frames.Slice(2, length));
            frames = frames[(2 + length)..];
        }

        return [.. payloads];
    }
}
