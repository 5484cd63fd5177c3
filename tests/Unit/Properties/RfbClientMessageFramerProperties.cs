using System.Buffers.Binary;
using CsCheck;
using StreamSpace.Infrastructure.Streaming;

namespace StreamSpace.Tests.Unit.Properties;

public sealed class RfbClientMessageFramerProperties
{
    private static readonly Gen<StreamPolicy> Policy = Gen.Select(Gen.Bool, Gen.Bool, (clipboardIn, clipboardOut) => new StreamPolicy(clipboardIn, ClipboardOut: clipboardOut));

    [Fact]
    public void Any_stream_framed_in_any_chunks_gives_what_it_gives_whole_and_only_ever_refuses_with_the_protocol_error()
    {
        Gen.Select(Policy, RfbStreams.Damaged, RfbStreams.Chunking).Sample((policy, stream, sizes) =>
        {
            var whole = Frame(policy, [stream]);
            var chunked = Frame(policy, RfbStreams.Chunks(stream, sizes));

            Assert.Equal(whole.Messages, chunked.Messages);
            Assert.Equal(whole.Refused, chunked.Refused);
        }, iter: 3000);
    }

    [Fact]
    public void Well_formed_messages_come_out_as_they_went_in_one_by_one_when_clipboard_is_allowed()
    {
        Gen.Select(RfbStreams.Messages, RfbStreams.Chunking).Sample((messages, sizes) =>
        {
            // ExtendedMouseButtons is always taken out of SetEncodings; the rest passes unchanged.
            var sent = messages.Where(m => m[0] != 2 || !Encodings(m).Contains(RfbClientMessageFramer.ExtendedMouseButtonsEncoding)).ToArray();

            var framed = Frame(new StreamPolicy(ClipboardIn: true), RfbStreams.Chunks([.. sent.SelectMany(m => m)], sizes));

            Assert.False(framed.Refused);
            Assert.Equal(sent.Select(Convert.ToHexString), framed.Messages.Select(m => m.Hex));
            Assert.Equal(sent.Select(m => m.Length), framed.Messages.Select(m => m.Length));
        }, iter: 2000);
    }

    [Fact]
    public void Without_clipboard_in_no_clipboard_data_is_forwarded_and_every_other_message_is()
    {
        Gen.Select(RfbStreams.Messages, RfbStreams.Chunking).Sample((messages, sizes) =>
        {
            var framed = Frame(new StreamPolicy(ClipboardIn: false), RfbStreams.Chunks([.. messages.SelectMany(m => m)], sizes));

            Assert.Equal(messages.Length, framed.Messages.Count);
            Assert.Equal(messages.Select(m => m.Length), framed.Messages.Select(m => m.Length));
            for (var i = 0; i < messages.Length; i++)
            {
                Assert.Equal(!CarriesClipboardData(messages[i]), framed.Messages[i].Forwarded);
            }
        }, iter: 2000);
    }

    [Fact]
    public void SetEncodings_never_forwards_an_encoding_the_tier_rules_out_and_keeps_its_count_right()
    {
        Gen.Select(Policy, RfbStreams.Encoding.Array[0, 30], RfbStreams.Chunking).Sample((policy, encodings, sizes) =>
        {
            var framed = Frame(policy, RfbStreams.Chunks(Tests.Support.RfbMessages.SetEncodings(encodings), sizes));

            var forwarded = Convert.FromHexString(Assert.Single(framed.Messages).Hex);
            var kept = Encodings(forwarded);
            Assert.Equal(4 + (4 * kept.Length), forwarded.Length);
            Assert.DoesNotContain(RfbClientMessageFramer.ExtendedMouseButtonsEncoding, kept);
            Assert.Equal(encodings.Where(kept.Contains), kept);
        }, iter: 1000);
    }

    /// <summary>Linear work: each call either completes a message or uses up its chunk, and a message is at least 4 bytes.</summary>
    [Fact]
    public void The_framer_is_called_at_most_once_per_message_plus_once_per_chunk()
    {
        Gen.Select(Policy, RfbStreams.Damaged, RfbStreams.Chunking).Sample((policy, stream, sizes) =>
        {
            var chunks = RfbStreams.Chunks(stream, sizes).ToList();

            var framed = Frame(policy, chunks);

            Assert.True(framed.Calls <= framed.Messages.Count + chunks.Count, $"{framed.Calls} calls for {framed.Messages.Count} messages in {chunks.Count} chunks");
            Assert.True(framed.Messages.Count <= stream.Length / 4);
        }, iter: 2000);
    }

    private static int[] Encodings(byte[] setEncodings) =>
        [.. Enumerable.Range(0, BinaryPrimitives.ReadUInt16BigEndian(setEncodings.AsSpan(2))).Select(i => BinaryPrimitives.ReadInt32BigEndian(setEncodings.AsSpan(4 + (4 * i))))];

    /// <summary>Plain ClientCutText, or extended clipboard "provide" (flag bit 28) that is not a capabilities message (bit 24).</summary>
    private static bool CarriesClipboardData(byte[] message)
    {
        if (message[0] != 6)
        {
            return false;
        }

        if (BinaryPrimitives.ReadInt32BigEndian(message.AsSpan(4)) >= 0)
        {
            return true;
        }

        var flags = BinaryPrimitives.ReadUInt32BigEndian(message.AsSpan(8));
        return (flags & (1u << 24)) == 0 && (flags & (1u << 28)) != 0;
    }

    private static Framing Frame(StreamPolicy policy, IEnumerable<byte[]> chunks)
    {
        using var framer = new RfbClientMessageFramer(policy);
        var messages = new List<FramedMessage>();
        var calls = 0;
        try
        {
            foreach (var chunk in chunks)
            {
                ReadOnlySpan<byte> input = chunk;
                while (true)
                {
                    calls++;
                    if (!framer.TryRead(ref input, out var message))
                    {
                        break;
                    }

                    messages.Add(new FramedMessage(message.Type, message.Length, message.IsForwarded, Convert.ToHexString(message.Bytes)));
                }

                Assert.True(input.IsEmpty, "TryRead returned false with input left over");
            }
        }
        catch (RfbProtocolException)
        {
            return new Framing(messages, Refused: true, calls);
        }

        return new Framing(messages, Refused: false, calls);
    }

    private sealed record FramedMessage(RfbClientMessageType Type, int Length, bool Forwarded, string Hex);

    private sealed record Framing(List<FramedMessage> Messages, bool Refused, int Calls);
}
