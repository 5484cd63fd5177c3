using System.Buffers;
using System.Text;
using CsCheck;
using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Web.Streaming;

namespace StreamSpace.Tests.Unit.Properties;

public sealed class AppSocketInspectorProperties
{
    private static readonly string[] ClipboardIn = ["cw", "cb", "cws", "cwd", "cwe", "cbs", "cbd", "cbe"];

    /// <summary>A Selkies text message (its type: what precedes the first comma) cut into one to three fragments.</summary>
    private static readonly Gen<(string Type, byte[][] Fragments)> Message = Gen.Select(
        Gen.OneOf(Gen.OneOf(ClipboardIn), Gen.OneOf("kd", "ku", "m", "js", "pong", "SETTINGS", "clipboard", "hello", "")),
        Gen.Bool,
        Gen.Char["abc,=/+0123456789 é"].Array[0, 120],
        Gen.Int[1, 3],
        (type, comma, rest, fragments) =>
        {
            var text = Encoding.UTF8.GetBytes(type + (comma ? "," : string.Empty) + new string(rest));
            var size = Math.Max(1, (text.Length + fragments - 1) / fragments);
            var written = type + (comma ? "," : string.Empty) + new string(rest);
            return (written.Split(',')[0], text.Chunk(size).DefaultIfEmpty([]).ToArray());
        });

    [Fact]
    public void Exactly_the_messages_the_tier_allows_reach_the_app_whole_however_the_frames_arrive()
    {
        Gen.Select(Message.Array[1, 8], Gen.Bool, RfbStreams.Chunking, Gen.Bool).Sample((messages, clipboardIn, sizes, masked) =>
        {
            byte[] Frames((string Type, byte[][] Fragments) message) => [.. message.Fragments.SelectMany((f, i) => Frame(i == 0, i == message.Fragments.Length - 1, f, masked))];
            var stream = messages.SelectMany(Frames).ToArray();
            var expected = messages.Where(m => clipboardIn || !ClipboardIn.Contains(m.Type)).SelectMany(Frames).ToArray();
            var inputs = 0;
            using var inspector = new AppSocketInspector(new StreamPolicy(clipboardIn), () => inputs++);
            var output = new ArrayBufferWriter<byte>();

            foreach (var chunk in RfbStreams.Chunks(stream, sizes))
            {
                inspector.FromBrowser.Process(chunk, output);
            }

            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(output.WrittenSpan));
            Assert.True(inputs <= messages.Length);
        }, iter: 1000);
    }

    [Fact]
    public void Any_frames_either_way_are_relayed_or_refused_with_the_filter_error_only()
    {
        var frame = Gen.Select(Gen.Int[0, 15], Gen.Bool, Gen.Byte.Array[0, 80], Gen.Bool, (opcode, fin, payload, gzip) =>
            (Opcode: opcode, Fin: fin, Payload: gzip && payload.Length > 0 ? SelkiesMessageProperties.Gzip(payload) : payload));
        Gen.Select(frame.Array[1, 6], Gen.Bool, Gen.Bool, Gen.Bool, RfbStreams.Chunking).Sample((frames, clipboardIn, clipboardOut, fromApp, sizes) =>
        {
            var stream = frames.SelectMany(f => Frame((byte)(f.Opcode | (f.Fin ? 0x80 : 0)), f.Payload, masked: !fromApp)).ToArray();
            using var inspector = new AppSocketInspector(new StreamPolicy(clipboardIn, ClipboardOut: clipboardOut), () => { });
            var filter = fromApp ? inspector.FromApp : inspector.FromBrowser;
            var output = new ArrayBufferWriter<byte>();
            try
            {
                foreach (var chunk in RfbStreams.Chunks(stream, sizes))
                {
                    filter.Process(chunk, output);
                }
            }
            catch (WebSocketFilterException)
            {
                // The documented refusal: the proxy closes the connection.
            }

            Assert.True(output.WrittenCount <= stream.Length * 2);
        }, iter: 2000);
    }

    private static byte[] Frame(bool first, bool last, byte[] payload, bool masked) =>
        Frame((byte)((first ? 1 : 0) | (last ? 0x80 : 0)), payload, masked);

    private static byte[] Frame(byte head, byte[] payload, bool masked)
    {
        byte[] mask = [0x12, 0x9a, 0x5c, 0xe1];
        var length = payload.Length < 126 ? [(byte)payload.Length] : new byte[] { 126, (byte)(payload.Length >> 8), (byte)payload.Length };
        length[0] |= masked ? (byte)0x80 : (byte)0;
        return [head, .. length, .. masked ? mask : [], .. masked ? payload.Select((b, i) => (byte)(b ^ mask[i % 4])) : payload];
    }
}
