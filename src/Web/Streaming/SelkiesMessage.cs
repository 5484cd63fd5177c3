using System.IO.Compression;
using System.Text;

namespace StreamSpace.Web.Streaming;

/// <summary>
/// The Selkies web client's messages (selkies-project/selkies, <c>input_handler.py</c> and the WebSocket loop of
/// <c>selkies.py</c>; docs/gateway.md lists the shapes): comma-separated text whose first field names it, such as
/// <c>kd,&lt;keysym&gt;</c> or <c>m,&lt;x&gt;,&lt;y&gt;,&lt;buttons&gt;,&lt;scroll&gt;</c>; binary frames tagged by their
/// first byte (<c>0x02</c> microphone audio; <c>0x05</c> a gzip'd text message, used for large ones such as a clipboard).
/// </summary>
internal static class SelkiesMessage
{
    /// <summary>The most a gzip'd message may inflate to before it is judged by its tag alone.</summary>
    public const int MaxInflated = 1024 * 1024;

    public const byte GzipTag = 0x05;

    /// <summary>Keyboard, pointer, gamepad and typed text: a person at the keyboard.</summary>
    private static readonly HashSet<string> Input = ["kd", "ku", "m", "m2", "js", "co"];

    /// <summary>Browser → app clipboard writes (whole, multi-part text, binary): refused without clipboard-in, and input when allowed.</summary>
    private static readonly HashSet<string> ClipboardIn = ["cw", "cb", "cws", "cwd", "cwe", "cbs", "cbd", "cbe"];

    /// <summary>What the client sends by itself: heartbeats, stats, settings, stream control, clipboard reads.</summary>
    private static readonly HashSet<string> Background =
    [
        "pong", "kr", "kh", "p", "vb", "ab", "cr", "r", "s", "cmd", "_arg_fps", "_arg_resize", "_f", "_l", "_stats_video",
        "_stats_audio", "_ebc", "_rc", "_crf", "_gz", "SETTINGS", "SET_NATIVE_CURSOR_RENDERING", "REQUEST_KEYFRAME",
        "REQUEST_CLIPBOARD", "START_VIDEO", "STOP_VIDEO", "START_AUDIO", "STOP_AUDIO", "CLIENT_FRAME_ACK",
    ];

    /// <summary>The first field of a text message: everything up to the first comma.</summary>
    public static string Type(ReadOnlySpan<byte> text)
    {
        var comma = text.IndexOf((byte)',');
        var head = comma < 0 ? text : text[..comma];
        return head.Length > 64 ? string.Empty : Encoding.UTF8.GetString(head);
    }

    /// <summary>Whether a text message is one the Selkies client sends; the first such message tells the proxy which protocol it reads.</summary>
    public static bool IsKnown(string type) => Input.Contains(type) || ClipboardIn.Contains(type) || Background.Contains(type);

    /// <summary>Input, but for the gamepad's heartbeat (<c>js,h,&lt;pad&gt;</c>), which a connected pad sends by itself.</summary>
    public static bool IsInput(string type, ReadOnlySpan<byte> text) =>
        (Input.Contains(type) || ClipboardIn.Contains(type)) && !(type == "js" && text.StartsWith("js,h,"u8));

    public static bool IsClipboardIn(string type) => ClipboardIn.Contains(type);

    /// <summary>App → browser clipboard: <c>clipboard,&lt;base64&gt;</c>, <c>clipboard_binary,…</c>, <c>clipboard_start|data|finish…</c>.</summary>
    public static bool IsClipboardOut(string type) => type.StartsWith("clipboard", StringComparison.Ordinal);

    /// <summary>The text inside a <c>0x05</c> frame, or null when it does not inflate within <see cref="MaxInflated"/>.</summary>
    public static byte[]? Inflate(ReadOnlySpan<byte> payload)
    {
        try
        {
            using var input = new MemoryStream(payload[1..].ToArray());
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            var buffer = new byte[MaxInflated + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = gzip.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }

            return total > MaxInflated ? null : buffer[..total];
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
