using System.Buffers;
using CsCheck;
using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Web.Streaming;

namespace StreamSpace.Tests.Unit.Properties;

public sealed class RfbOverWebSocketReaderProperties
{
    private static readonly Gen<byte[]> Handshake = Gen.OneOf(
        Gen.Const(0).Select(_ => "RFB 003.008\n"u8.ToArray().Append((byte)1).Append((byte)1).ToArray()),
        Gen.Byte.Array[16].Select(response => "RFB 003.008\n"u8.ToArray().Append((byte)2).Concat(response).Append((byte)0).ToArray()),
        Gen.Const(0).Select(_ => "RFB 003.007\n"u8.ToArray().Append((byte)1).Append((byte)1).ToArray()));

    [Fact]
    public void The_handshake_and_well_formed_messages_go_on_unchanged_however_they_are_cut_into_WebSocket_messages()
    {
        Gen.Select(Handshake, RfbStreams.Messages, RfbStreams.Chunking).Sample((handshake, messages, sizes) =>
        {
            var sent = messages.Where(m => m[0] != 2 || !m.Skip(4).Chunk(4).Any(e => e.SequenceEqual(new byte[] { 0xff, 0xff, 0xfe, 0xc4 }))).ToArray();
            byte[] stream = [.. handshake, .. sent.SelectMany(m => m)];

            var (kept, input, refused) = Read(new StreamPolicy(ClipboardIn: true), RfbStreams.Chunks(stream, sizes));

            Assert.False(refused);
            Assert.Equal(Convert.ToHexString(stream), Convert.ToHexString(kept));
            Assert.Equal(sent.Any(m => m[0] is 4 or 5 or 255), input);
        }, iter: 1000);
    }

    [Fact]
    public void Any_bytes_after_any_handshake_read_the_same_whole_or_cut_and_are_only_refused_with_the_protocol_error()
    {
        Gen.Select(Gen.OneOf(Handshake, Gen.Byte.Array[0, 20]), RfbStreams.Damaged, Gen.Bool, RfbStreams.Chunking).Sample((handshake, rest, clipboardIn, sizes) =>
        {
            var policy = new StreamPolicy(clipboardIn);
            byte[] stream = [.. handshake, .. rest];

            var whole = Read(policy, [stream]);
            var cut = Read(policy, RfbStreams.Chunks(stream, sizes));

            Assert.Equal(whole.Refused, cut.Refused);
            if (!whole.Refused)
            {
                Assert.Equal(Convert.ToHexString(whole.Kept), Convert.ToHexString(cut.Kept));
            }
        }, iter: 2000);
    }

    private static (byte[] Kept, bool Input, bool Refused) Read(StreamPolicy policy, IEnumerable<byte[]> payloads)
    {
        using var reader = new RfbOverWebSocketReader(policy);
        var kept = new ArrayBufferWriter<byte>();
        var input = false;
        try
        {
            foreach (var payload in payloads)
            {
                input |= reader.Read(payload, kept);
            }
        }
        catch (RfbProtocolException)
        {
            return (kept.WrittenSpan.ToArray(), input, true);
        }

        return (kept.WrittenSpan.ToArray(), input, false);
    }
}
