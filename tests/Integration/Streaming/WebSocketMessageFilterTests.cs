using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using StreamSpace.Web.Streaming;

namespace StreamSpace.Tests.Integration.Streaming;

/// <summary>The proxy's frame reader, pure: whatever the chunking of the bytes, the same frames go on.</summary>
public sealed class WebSocketMessageFilterTests
{
    [Fact]
    public void Forwarded_messages_go_on_byte_for_byte_however_the_stream_is_cut()
    {
        var stream = Concat(
            Frame(0x1, "kd,", fin: false),
            Frame(0x9, "ping"),
            Frame(0x0, "9", fin: false),
            Frame(0x0, "7"),
            Frame(0x2, new byte[300]),
            Frame(0x1, new string('x', 70000)));

        foreach (var cut in Cuts(stream.Length))
        {
            var output = Run(stream, cut, (_, _, _, _, _) => WebSocketVerdict.Forward);
            Assert.Equal(stream, output);
        }
    }

    [Fact]
    public void A_dropped_message_leaves_nothing_of_its_fragments_while_control_frames_between_them_pass()
    {
        var ping = Frame(0x9, "ping");
        var key = Frame(0x1, "kd,97");
        var stream = Concat(Frame(0x1, "cw,", fin: false), ping, Frame(0x0, "c2VjcmV0"), key);
        var seen = new List<string>();

        foreach (var cut in Cuts(stream.Length))
        {
            seen.Clear();
            var output = Run(stream, cut, (opcode, payload, complete, _, _) =>
            {
                if (!complete)
                {
                    return WebSocketVerdict.Hold;
                }

                seen.Add(Encoding.UTF8.GetString(payload));
                return payload.StartsWith("cw,"u8) ? WebSocketVerdict.Drop : WebSocketVerdict.Forward;
            });

            Assert.Equal(Concat(ping, key), output);
            Assert.Equal(["cw,c2VjcmV0", "kd,97"], seen);
        }
    }

    [Fact]
    public void A_replaced_message_goes_on_as_one_masked_frame_with_the_new_payload()
    {
        var stream = Frame(0x2, [6, 0, 0, 0, 0, 0, 0, 1, (byte)'x', 4, 1, 0, 0, 0, 0, 0, 0x61]);

        var output = Run(stream, 5, (_, payload, complete, _, replacement) =>
        {
            if (!complete)
            {
                return WebSocketVerdict.Hold;
            }

            replacement.Write(payload[9..]);
            return WebSocketVerdict.Replace;
        });

        Assert.Equal(0x82, output[0]);
        Assert.Equal(0x80 | 8, output[1]);
        var mask = output.AsSpan(2, 4);
        var payload = output.AsSpan(6).ToArray();
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] ^= mask[i & 3];
        }

        Assert.Equal(new byte[] { 4, 1, 0, 0, 0, 0, 0, 0x61 }, payload);
    }

    [Fact]
    public void A_compressed_frame_is_refused_rather_than_passed_unread()
    {
        var frame = Frame(0x1, "kd,97");
        frame[0] |= 0x40;

        Assert.Throws<WebSocketFilterException>(() => Run(frame, frame.Length, (_, _, _, _, _) => WebSocketVerdict.Forward));
    }

    private static byte[] Run(byte[] stream, int cut, WebSocketMessageJudge judge)
    {
        var filter = new WebSocketMessageFilter(judge);
        var output = new ArrayBufferWriter<byte>();
        for (var offset = 0; offset < stream.Length; offset += cut)
        {
            filter.Process(stream.AsSpan(offset, Math.Min(cut, stream.Length - offset)), output);
        }

        return output.WrittenSpan.ToArray();
    }

    private static IEnumerable<int> Cuts(int length) => [1, 2, 3, 5, 7, 13, 64, 1000, 4096, length];

    private static byte[] Frame(int opcode, string text, bool fin = true) => Frame(opcode, Encoding.UTF8.GetBytes(text), fin);

    /// <summary>A masked frame, as a browser sends it.</summary>
    private static byte[] Frame(int opcode, byte[] payload, bool fin = true)
    {
        var header = new List<byte> { (byte)((fin ? 0x80 : 0) | opcode) };
        if (payload.Length < 126)
        {
            header.Add((byte)(0x80 | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header.AddRange([0x80 | 126, (byte)(payload.Length >> 8), (byte)payload.Length]);
        }
        else
        {
            header.Add(0x80 | 127);
            header.AddRange(BitConverter.GetBytes((ulong)payload.Length).Reverse());
        }

        var mask = RandomNumberGenerator.GetBytes(4);
        header.AddRange(mask);
        return [.. header, .. payload.Select((b, i) => (byte)(b ^ mask[i & 3]))];
    }

    private static byte[] Concat(params byte[][] frames) => [.. frames.SelectMany(f => f)];
}
