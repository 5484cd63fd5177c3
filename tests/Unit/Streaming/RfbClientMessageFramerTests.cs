using System.Buffers.Binary;
using System.Text;
using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Unit.Streaming;

public sealed class RfbClientMessageFramerTests
{
    private static readonly StreamPolicy ClipboardAllowed = new(ClipboardIn: true);
    private static readonly StreamPolicy ClipboardForbidden = new(ClipboardIn: false);

    public static TheoryData<string, byte[]> EveryMessageType => new()
    {
        { "SetPixelFormat", RfbMessages.SetPixelFormat() },
        { "SetEncodings", RfbMessages.SetEncodings(7, 16, 0, -223, -308, -309, -312, -313, -258, unchecked((int)0xc0a1e5ce)) },
        { "SetEncodings (none)", RfbMessages.SetEncodings() },
        { "FramebufferUpdateRequest", RfbMessages.FramebufferUpdateRequest(true, 0, 0, 800, 600) },
        { "KeyEvent", RfbMessages.KeyEvent(true, 0x61) },
        { "PointerEvent", RfbMessages.PointerEvent(1, 10, 20) },
        { "ClientCutText", RfbMessages.ClientCutText("hello, clipboard") },
        { "ClientCutText (empty)", RfbMessages.ClientCutText("") },
        { "ClientCutText (extended)", RfbMessages.ExtendedClipboard(0x10000001, [1, 2, 3, 4, 5, 6]) },
        { "EnableContinuousUpdates", RfbMessages.EnableContinuousUpdates(true, 800, 600) },
        { "ClientFence", RfbMessages.ClientFence(0x80000003, Encoding.ASCII.GetBytes("fence payload")) },
        { "ClientFence (empty)", RfbMessages.ClientFence(1, []) },
        { "ClientFence (64 bytes)", RfbMessages.ClientFence(1, new byte[64]) },
        { "Xvp", RfbMessages.Xvp(1, 2) },
        { "SetDesktopSize", RfbMessages.SetDesktopSize(1024, 768, 1) },
        { "SetDesktopSize (3 screens)", RfbMessages.SetDesktopSize(1024, 768, 3) },
        { "QemuExtendedKeyEvent", RfbMessages.QemuExtendedKeyEvent(true, 0x61, 0x1e) },
    };

    [Theory]
    [MemberData(nameof(EveryMessageType))]
    public void Each_message_type_is_framed_whole_when_split_at_any_byte(string name, byte[] message)
    {
        for (var split = 0; split <= message.Length; split++)
        {
            var framed = Frame(ClipboardAllowed, message[..split], message[split..]);

            var only = Assert.Single(framed);
            Assert.True(message.AsSpan().SequenceEqual(only.Bytes), $"{name} split at {split}");
            Assert.Equal(message[0], (byte)only.Type);
            Assert.Equal(message.Length, only.Length);
        }
    }

    [Fact]
    public void A_stream_of_every_message_type_is_framed_the_same_whatever_the_chunking()
    {
        var messages = EveryMessageType.Select(row => (byte[])row[1]).ToList();
        var stream = messages.SelectMany(m => m).ToArray();

        for (var split = 0; split <= stream.Length; split++)
        {
            AssertFramedAs(messages, Frame(ClipboardAllowed, stream[..split], stream[split..]));
        }

        for (var first = 0; first < stream.Length; first += 7)
        {
            for (var second = first; second <= stream.Length; second += 5)
            {
                AssertFramedAs(messages, Frame(ClipboardAllowed, stream[..first], stream[first..second], stream[second..]));
            }
        }

        AssertFramedAs(messages, Frame(ClipboardAllowed, stream.Select(b => new[] { b }).ToArray()));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(149)]
    [InlineData(249)]
    [InlineData(252)]
    [InlineData(254)]
    public void An_unknown_message_type_is_a_protocol_error(byte type)
    {
        var error = Assert.Throws<RfbProtocolException>(() => Frame(ClipboardAllowed, RfbMessages.KeyEvent(true, 1), [type, 0, 0, 0]));

        Assert.Contains($"type {type}", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[]> MalformedMessages => new()
    {
        { "ClientCutText over the cap", CutTextHeader(RfbClientMessageFramer.DefaultMaxClipboardBytes + 1) },
        { "ClientCutText of int.MaxValue", CutTextHeader(int.MaxValue) },
        { "extended ClientCutText of int.MinValue", CutTextHeader(int.MinValue) },
        { "extended ClientCutText over the cap", CutTextHeader(-RfbClientMessageFramer.DefaultMaxClipboardBytes - 1) },
        { "extended ClientCutText shorter than its flags", [.. CutTextHeader(-3), 0, 0, 0] },
        { "ClientFence payload of 65 bytes", RfbMessages.ClientFence(1, new byte[65]) },
        { "ClientFence payload of 255 bytes", RfbMessages.ClientFence(1, new byte[255]) },
        { "QEMU client message subtype 1", [255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
    };

    [Theory]
    [MemberData(nameof(MalformedMessages))]
    public void A_malformed_length_is_a_protocol_error_even_when_it_arrives_byte_by_byte(string name, byte[] message)
    {
        Assert.Throws<RfbProtocolException>(() => Frame(ClipboardAllowed, message));
        Assert.Throws<RfbProtocolException>(() => Frame(ClipboardAllowed, message.Select(b => new[] { b }).ToArray()));
        Assert.NotEmpty(name);
    }

    [Fact]
    public void ClientCutText_is_dropped_when_clipboard_in_is_forbidden_and_the_next_message_still_framed()
    {
        var cut = RfbMessages.ClientCutText("secret from the laptop");
        var key = RfbMessages.KeyEvent(true, 0x61);
        var stream = cut.Concat(key).ToArray();

        for (var split = 0; split <= stream.Length; split++)
        {
            var framed = Frame(ClipboardForbidden, stream[..split], stream[split..]);

            Assert.Equal(2, framed.Count);
            Assert.Equal(RfbClientMessageType.ClientCutText, framed[0].Type);
            Assert.False(framed[0].Forwarded);
            Assert.Empty(framed[0].Bytes);
            Assert.Equal(cut.Length, framed[0].Length);
            Assert.Equal(key, framed[1].Bytes);
        }
    }

    [Fact]
    public void ClientCutText_is_passed_when_clipboard_in_is_allowed()
    {
        var cut = RfbMessages.ClientCutText("allowed paste");

        var framed = Assert.Single(Frame(ClipboardAllowed, cut));

        Assert.True(framed.Forwarded);
        Assert.Equal(cut, framed.Bytes);
    }

    [Fact]
    public void A_large_forbidden_paste_is_skipped_across_many_chunks()
    {
        var cut = RfbMessages.ClientCutText(new byte[RfbClientMessageFramer.DefaultMaxClipboardBytes - 3], extended: false);
        var stream = cut.Concat(RfbMessages.PointerEvent(0, 1, 1)).ToArray();
        var chunks = stream.Chunk(4093).ToArray();

        var framed = Frame(ClipboardForbidden, chunks);

        Assert.Equal([RfbClientMessageType.ClientCutText, RfbClientMessageType.PointerEvent], framed.Select(m => m.Type));
        Assert.False(framed[0].Forwarded);
        Assert.Equal(cut.Length, framed[0].Length);
    }

    [Fact]
    public void Extended_clipboard_takes_its_length_from_the_negative_value()
    {
        var payload = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        var extended = RfbMessages.ExtendedClipboard(0x10000001, payload);
        Assert.Equal(-(4 + payload.Length), BinaryPrimitives.ReadInt32BigEndian(extended.AsSpan(4)));

        var framed = Frame(ClipboardAllowed, extended, RfbMessages.KeyEvent(false, 0x61));

        Assert.Equal(extended, framed[0].Bytes);
        Assert.Equal(RfbClientMessageType.KeyEvent, framed[1].Type);
    }

    [Theory]
    [InlineData(0x10000001u, false)]
    [InlineData(0x11000001u, true)]
    [InlineData(0x1F000001u, true)]
    [InlineData(0x02000001u, true)]
    [InlineData(0x08000001u, true)]
    public void Forbidden_clipboard_in_drops_extended_provide_but_passes_caps_requests_and_notifications(uint flags, bool passed)
    {
        var message = RfbMessages.ExtendedClipboard(flags, [0x78, 0x9c, 0, 0, 0, 1]);

        for (var split = 0; split <= message.Length; split++)
        {
            var framed = Assert.Single(Frame(ClipboardForbidden, message[..split], message[split..]));
            Assert.Equal(passed, framed.Forwarded);
        }
    }

    [Fact]
    public void Key_pointer_and_QEMU_key_messages_count_as_input_and_nothing_else_does()
    {
        var framed = Frame(ClipboardAllowed, EveryMessageType.Select(row => (byte[])row[1]).ToArray());

        Assert.Equal(
            [RfbClientMessageType.KeyEvent, RfbClientMessageType.PointerEvent, RfbClientMessageType.QemuClientMessage],
            framed.Where(m => m.IsInput).Select(m => m.Type));
    }

    [Fact]
    public void SetEncodings_loses_ExtendedMouseButtons_so_pointer_events_stay_six_bytes()
    {
        var asked = RfbMessages.SetEncodings(16, RfbClientMessageFramer.ExtendedMouseButtonsEncoding, -223);
        var stream = asked.Concat(RfbMessages.PointerEvent(0x80, 5, 5)).ToArray();

        for (var split = 0; split <= stream.Length; split++)
        {
            var framed = Frame(ClipboardAllowed, stream[..split], stream[split..]);

            Assert.Equal(RfbMessages.SetEncodings(16, -223), framed[0].Bytes);
            Assert.Equal(asked.Length, framed[0].Length);
            Assert.Equal(6, framed[1].Bytes.Length);
        }
    }

    private static byte[] CutTextHeader(int declaredLength)
    {
        var header = new byte[8];
        header[0] = 6;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), declaredLength);
        return header;
    }

    private static void AssertFramedAs(List<byte[]> expected, List<Framed> framed)
    {
        Assert.Equal(expected.Count, framed.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], framed[i].Bytes);
        }
    }

    private static List<Framed> Frame(StreamPolicy policy, params byte[][] chunks)
    {
        using var framer = new RfbClientMessageFramer(policy);
        var framed = new List<Framed>();
        foreach (var chunk in chunks)
        {
            ReadOnlySpan<byte> input = chunk;
            while (framer.TryRead(ref input, out var message))
            {
                framed.Add(new Framed(message.Type, message.Bytes.ToArray(), message.Length, message.IsForwarded, message.IsInput));
            }

            Assert.True(input.IsEmpty);
        }

        return framed;
    }

    private sealed record Framed(RfbClientMessageType Type, byte[] Bytes, int Length, bool Forwarded, bool IsInput);
}
