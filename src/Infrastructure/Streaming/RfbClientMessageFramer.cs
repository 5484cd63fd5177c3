using System.Buffers;
using System.Buffers.Binary;

namespace StreamSpace.Infrastructure.Streaming;

/// <summary>
/// Cuts the viewer-to-session byte stream, which arrives in chunks that ignore message boundaries, into whole RFB
/// messages, so the gateway can see input, apply the clipboard rule and refuse anything it does not understand.
/// Pure: no I/O; a message that straddles chunks is held in one pooled buffer, a dropped one is skipped unbuffered.
/// </summary>
public sealed class RfbClientMessageFramer(StreamPolicy policy, int maxClipboardBytes = RfbClientMessageFramer.DefaultMaxClipboardBytes)
    : IDisposable
{
    public const int DefaultMaxClipboardBytes = 1024 * 1024;

    /// <summary>A pseudo-encoding that makes pointer events 7 bytes long on servers that support it.</summary>
    public const int ExtendedMouseButtonsEncoding = -316;

    private const int MaxFencePayload = 64;
    private const uint ClipboardCaps = 1u << 24;
    private const uint ClipboardProvide = 1u << 28;
    private const int SmallBuffer = 256;
    private const int ShrinkAbove = 64 * 1024;

    private byte[] _held = ArrayPool<byte>.Shared.Rent(SmallBuffer);
    private int _heldLength;
    private bool _skipping;
    private int _skipLength;
    private long _skipRemaining;

    /// <summary>
    /// Reads the next complete message from what is held plus <paramref name="input"/>, advancing it past the bytes used.
    /// Returns false when <paramref name="input"/> is used up without completing a message (the rest is kept).
    /// </summary>
    /// <exception cref="RfbProtocolException">An unknown message type or an impossible length.</exception>
    public bool TryRead(ref ReadOnlySpan<byte> input, out RfbClientMessage message)
    {
        message = default;
        if (_skipping)
        {
            var skipped = (int)Math.Min(_skipRemaining, input.Length);
            input = input[skipped..];
            _skipRemaining -= skipped;
            if (_skipRemaining > 0)
            {
                return false;
            }

            _skipping = false;
            message = new RfbClientMessage(RfbClientMessageType.ClientCutText, _skipLength, default, forwarded: false);
            return true;
        }

        if (_heldLength == 0)
        {
            if (_held.Length > ShrinkAbove)
            {
                ArrayPool<byte>.Shared.Return(_held);
                _held = ArrayPool<byte>.Shared.Rent(SmallBuffer);
            }

            if (input.IsEmpty)
            {
                return false;
            }

            var length = Measure(input, out var drop);
            if (length > 0 && drop)
            {
                if (input.Length >= length)
                {
                    input = input[length..];
                    message = new RfbClientMessage(RfbClientMessageType.ClientCutText, length, default, forwarded: false);
                    return true;
                }

                StartSkipping(length, input.Length);
                input = default;
                return false;
            }

            if (length > 0 && input.Length >= length)
            {
                var bytes = input[..length];
                input = input[length..];
                message = Complete(bytes);
                return true;
            }

            EnsureCapacity(input.Length);
            input.CopyTo(_held);
            _heldLength = input.Length;
            input = default;
            return false;
        }

        int total;
        bool dropHeld;
        while ((total = Measure(_held.AsSpan(0, _heldLength), out dropHeld)) < 0)
        {
            if (!TakeInto(ref input, -total))
            {
                return false;
            }
        }

        if (dropHeld)
        {
            StartSkipping(total, _heldLength);
            _heldLength = 0;
            return TryRead(ref input, out message);
        }

        if (!TakeInto(ref input, total))
        {
            return false;
        }

        _heldLength = 0;
        message = Complete(_held.AsSpan(0, total));
        return true;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_held);
        _held = [];
    }

    /// <summary>The whole length of the message starting at <paramref name="head"/>, or minus the header length still needed.</summary>
    private int Measure(ReadOnlySpan<byte> head, out bool drop)
    {
        drop = false;
        var type = (RfbClientMessageType)head[0];
        switch (type)
        {
            case RfbClientMessageType.SetPixelFormat:
                return 20;
            case RfbClientMessageType.SetEncodings:
                return head.Length < 4 ? -4 : 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(head[2..]));
            case RfbClientMessageType.FramebufferUpdateRequest:
            case RfbClientMessageType.EnableContinuousUpdates:
                return 10;
            case RfbClientMessageType.KeyEvent:
                return 8;
            case RfbClientMessageType.PointerEvent:
                return 6;
            case RfbClientMessageType.Xvp:
                return 4;
            case RfbClientMessageType.ClientCutText:
                return MeasureClientCutText(head, out drop);
            case RfbClientMessageType.ClientFence:
                if (head.Length < 9)
                {
                    return -9;
                }

                return head[8] <= MaxFencePayload
                    ? 9 + head[8]
                    : throw new RfbProtocolException($"ClientFence payload of {head[8]} bytes exceeds {MaxFencePayload}.");
            case RfbClientMessageType.SetDesktopSize:
                return head.Length < 7 ? -7 : 8 + (16 * head[6]);
            case RfbClientMessageType.QemuClientMessage:
                if (head.Length < 2)
                {
                    return -2;
                }

                return head[1] == 0
                    ? 12
                    : throw new RfbProtocolException($"QEMU client message subtype {head[1]} is not an extended key event.");
            default:
                throw new RfbProtocolException($"Unknown client message type {head[0]}.");
        }
    }

    private int MeasureClientCutText(ReadOnlySpan<byte> head, out bool drop)
    {
        drop = false;
        if (head.Length < 8)
        {
            return -8;
        }

        // A negative length announces the extended clipboard format; its size is the absolute value.
        var declared = BinaryPrimitives.ReadInt32BigEndian(head[4..]);
        var size = Math.Abs((long)declared);
        if (size > maxClipboardBytes)
        {
            throw new RfbProtocolException($"A clipboard of {size} bytes is larger than the {maxClipboardBytes} bytes allowed.");
        }

        if (declared >= 0)
        {
            drop = !policy.ClipboardIn;
            return 8 + (int)size;
        }

        if (size < 4)
        {
            throw new RfbProtocolException("Extended ClientCutText is shorter than its flags.");
        }

        if (head.Length < 12)
        {
            return -12;
        }

        // Only "provide" carries clipboard data; capabilities, requests and notifications keep clipboard-out working.
        var flags = BinaryPrimitives.ReadUInt32BigEndian(head[8..]);
        drop = !policy.ClipboardIn && (flags & ClipboardCaps) == 0 && (flags & ClipboardProvide) != 0;
        return 8 + (int)size;
    }

    private RfbClientMessage Complete(ReadOnlySpan<byte> bytes)
    {
        var type = (RfbClientMessageType)bytes[0];
        var length = bytes.Length;
        if (type == RfbClientMessageType.SetEncodings && AsksForUnwanted(bytes))
        {
            bytes = WithoutUnwantedEncodings(bytes);
        }

        return new RfbClientMessage(type, length, bytes, forwarded: true);
    }

    /// <summary>
    /// ExtendedMouseButtons always: servers that accept it read 7-byte pointer events, older ones 6, and removing it keeps
    /// our framing and the server's identical, so no byte can be read as a different message on either side. When the
    /// tier forbids clipboard-out, also every encoding <see cref="RfbServerMessageFilter"/> cannot measure.
    /// </summary>
    private bool IsUnwanted(int encoding) =>
        encoding == ExtendedMouseButtonsEncoding || (!policy.ClipboardOut && !IsMeasurable(encoding));

    /// <summary>Encodings whose rectangles <see cref="RfbServerMessageFilter"/> can measure, and pseudo-encodings that carry none.</summary>
    private static bool IsMeasurable(int encoding) =>
        encoding is 0 or 1 or 2 or 5 or 6 or 7 or 16
            or -223 or -224 or -239 or -258 or -261 or -307 or -308 or -309 or -312 or -313 or unchecked((int)0xC0A1E5CE)
            or (>= -32 and <= -23) or (>= -256 and <= -247) or (>= -512 and <= -412) or (>= -768 and <= -763);

    private bool AsksForUnwanted(ReadOnlySpan<byte> setEncodings)
    {
        for (var offset = 4; offset < setEncodings.Length; offset += 4)
        {
            if (IsUnwanted(BinaryPrimitives.ReadInt32BigEndian(setEncodings[offset..])))
            {
                return true;
            }
        }

        return false;
    }

    private ReadOnlySpan<byte> WithoutUnwantedEncodings(ReadOnlySpan<byte> setEncodings)
    {
        EnsureCapacity(setEncodings.Length);
        var target = _held.AsSpan(0, setEncodings.Length);
        if (!setEncodings.Overlaps(target))
        {
            setEncodings.CopyTo(target);
        }

        var write = 4;
        for (var read = 4; read < target.Length; read += 4)
        {
            if (!IsUnwanted(BinaryPrimitives.ReadInt32BigEndian(target[read..])))
            {
                target.Slice(read, 4).CopyTo(target[write..]);
                write += 4;
            }
        }

        BinaryPrimitives.WriteUInt16BigEndian(target[2..], (ushort)((write - 4) / 4));
        return target[..write];
    }

    private void StartSkipping(int length, int alreadySeen)
    {
        _skipping = true;
        _skipLength = length;
        _skipRemaining = length - alreadySeen;
    }

    private bool TakeInto(ref ReadOnlySpan<byte> input, int target)
    {
        // Grown to what has arrived, never to what the header declares: a declared length costs nothing until it is sent.
        EnsureCapacity(Math.Min(target, _heldLength + input.Length));
        var take = Math.Min(target - _heldLength, input.Length);
        input[..take].CopyTo(_held.AsSpan(_heldLength));
        _heldLength += take;
        input = input[take..];
        return _heldLength == target;
    }

    private void EnsureCapacity(int length)
    {
        if (_held.Length >= length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(length);
        _held.AsSpan(0, _heldLength).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_held);
        _held = larger;
    }
}
