using System.Buffers.Binary;

namespace StreamSpace.Infrastructure.Streaming;

/// <summary>
/// Keeps the session's clipboard from reaching a viewer whose tier forbids clipboard-out: frames the session-to-viewer
/// byte stream message by message and drops ServerCutText and the extended-clipboard <c>provide</c> message, whatever the
/// server was told. Pure: no I/O; payloads are passed or skipped as they arrive, only headers (at most 16 bytes) are held.
/// A message or encoding it cannot measure is a protocol error, never passed on unread.
/// </summary>
public sealed class RfbServerMessageFilter
{
    /// <summary>How many bytes more than its input one call may write: a held ServerCutText header that turns out to be kept.</summary>
    public const int MaxHeld = 12;

    private const int LastRect = -224;
    private const uint ClipboardCaps = 1u << 24;
    private const uint ClipboardProvide = 1u << 28;
    private const int TileSize = 16;

    private readonly IEnumerator<Demand> _parser;
    private readonly byte[] _header = new byte[16];
    private readonly byte[] _held = new byte[MaxHeld];
    private RfbPixelFormat _format;
    private Demand _demand;
    private long _remaining;
    private int _headerLength;
    private int _heldLength;
    private bool _holding;

    public RfbServerMessageFilter(RfbPixelFormat format)
    {
        _format = format;
        _parser = Parse();
    }

    private enum Step
    {
        Header,
        Pass,
        Drop,
        Release,
        Discard,
    }

    /// <summary>Counts the ServerCutText messages (plain or extended provide) that were dropped.</summary>
    public int Dropped { get; private set; }

    /// <summary>Counts the whole messages read so far, dropped or passed.</summary>
    public long Messages { get; private set; }

    /// <summary>The format the viewer asked for with SetPixelFormat; rectangles of later updates are measured with it.</summary>
    public void UsePixelFormat(RfbPixelFormat format) => Volatile.Write(ref _format, format);

    /// <summary>
    /// Writes to <paramref name="output"/> what of <paramref name="input"/> may reach the viewer and returns its length;
    /// <paramref name="output"/> must hold <see cref="MaxHeld"/> bytes more than <paramref name="input"/>.
    /// </summary>
    /// <exception cref="RfbProtocolException">A message type, encoding or length the gateway cannot measure.</exception>
    public int Filter(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (output.Length < input.Length + MaxHeld)
        {
            throw new ArgumentException($"The output must hold {MaxHeld} bytes more than the input.", nameof(output));
        }

        var written = 0;
        while (true)
        {
            while (_remaining == 0)
            {
                _parser.MoveNext();
                _demand = _parser.Current;
                _remaining = _demand.Count;
                _headerLength = 0;
                if (_demand.Step == Step.Release)
                {
                    _held.AsSpan(0, _heldLength).CopyTo(output[written..]);
                    written += _heldLength;
                }

                if (_demand.Step is Step.Release or Step.Discard)
                {
                    _heldLength = 0;
                    _holding = false;
                }
            }

            if (input.IsEmpty)
            {
                return written;
            }

            var take = (int)Math.Min(_remaining, input.Length);
            var chunk = input[..take];
            if (_demand.Step == Step.Header)
            {
                chunk.CopyTo(_header.AsSpan(_headerLength));
                _headerLength += take;
            }

            if (_demand.Step == Step.Header && _holding)
            {
                chunk.CopyTo(_held.AsSpan(_heldLength));
                _heldLength += take;
            }
            else if (_demand.Step != Step.Drop)
            {
                chunk.CopyTo(output[written..]);
                written += take;
            }

            input = input[take..];
            _remaining -= take;
        }
    }

    private static Demand Header(int count) => new(Step.Header, count);

    private static Demand Pass(long count) => new(Step.Pass, count);

    private ushort U16(int offset) => BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(offset));

    private uint U32(int offset) => BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(offset));

    /// <summary>The server's messages in order, as noVNC reads them; written as a sequence so it can pause at any byte.</summary>
    private IEnumerator<Demand> Parse()
    {
        for (var first = true; ; first = false)
        {
            Messages += first ? 0 : 1;

            // The type byte is held until the message is known not to be a clipboard one.
            _holding = true;
            yield return Header(1);
            var type = _header[0];
            if (type == 3)
            {
                foreach (var demand in ServerCutText())
                {
                    yield return demand;
                }

                continue;
            }

            yield return new Demand(Step.Release, 0);
            switch (type)
            {
                case 0:
                    foreach (var demand in FramebufferUpdate())
                    {
                        yield return demand;
                    }

                    break;
                case 1:
                    yield return Header(5);
                    yield return Pass(6L * U16(3));
                    break;
                case 2:
                case 150:
                    break;
                case 248:
                    yield return Header(8);
                    yield return Pass(_header[7]);
                    break;
                case 250:
                    yield return Header(3);
                    break;
                default:
                    throw new RfbProtocolException($"The session sent message type {type}, which the gateway does not relay.");
            }
        }
    }

    private IEnumerable<Demand> ServerCutText()
    {
        yield return Header(7);
        var declared = unchecked((int)U32(3));
        if (declared >= 0)
        {
            Dropped++;
            yield return new Demand(Step.Discard, 0);
            yield return new Demand(Step.Drop, declared);
            yield break;
        }

        var size = -(long)declared;
        if (size < 4)
        {
            throw new RfbProtocolException("The session sent an extended ServerCutText shorter than its flags.");
        }

        yield return Header(4);

        // Capabilities, requests, peeks and notifications carry no clipboard contents; clipboard-in still needs them.
        var flags = U32(0);
        var provides = (flags & ClipboardCaps) == 0 && (flags & ClipboardProvide) != 0;
        if (provides)
        {
            Dropped++;
        }

        yield return new Demand(provides ? Step.Discard : Step.Release, 0);
        yield return new Demand(provides ? Step.Drop : Step.Pass, size - 4);
    }

    private IEnumerable<Demand> FramebufferUpdate()
    {
        yield return Header(3);
        var rectangles = U16(1);
        var format = Volatile.Read(ref _format);
        for (var i = 0; i < rectangles; i++)
        {
            yield return Header(12);
            var width = U16(4);
            var height = U16(6);
            var encoding = unchecked((int)U32(8));
            if (encoding == LastRect)
            {
                yield break;
            }

            foreach (var demand in Rectangle(width, height, encoding, format))
            {
                yield return demand;
            }
        }
    }

    private IEnumerable<Demand> Rectangle(int width, int height, int encoding, RfbPixelFormat format)
    {
        var pixels = (long)width * height;
        var bytesPerPixel = format.BytesPerPixel is 1 or 2 or 4
            ? format.BytesPerPixel
            : throw new RfbProtocolException($"The pixel format has {format.BitsPerPixel} bits per pixel.");
        switch (encoding)
        {
            case 0:
                yield return Pass(pixels * bytesPerPixel);
                break;
            case 1:
                yield return Pass(4);
                break;
            case 2:
                yield return Header(4);
                yield return Pass(bytesPerPixel + (U32(0) * (bytesPerPixel + 8L)));
                break;
            case 5:
                foreach (var demand in Hextile(width, height, bytesPerPixel))
                {
                    yield return demand;
                }

                break;
            case 6:
            case 16:
                yield return Header(4);
                yield return Pass(U32(0));
                break;
            case 7:
                foreach (var demand in Tight(width, height, format.TightPixelBytes))
                {
                    yield return demand;
                }

                break;
            case -239:
                yield return Pass((pixels * bytesPerPixel) + ((width + 7L) / 8 * height));
                break;
            case -307:
                yield return Header(4);
                yield return Pass(U32(0));
                break;
            case -308:
                yield return Header(4);
                yield return Pass(16L * _header[0]);
                break;
            case -261:
                yield return Pass(1);
                break;
            case -223:
            case -258:
            case -316:
                break;
            default:
                throw new RfbProtocolException($"The session sent a rectangle in encoding {encoding}, which the gateway cannot measure.");
        }
    }

    private IEnumerable<Demand> Hextile(int width, int height, int bytesPerPixel)
    {
        for (var y = 0; y < height; y += TileSize)
        {
            for (var x = 0; x < width; x += TileSize)
            {
                var tileWidth = Math.Min(TileSize, width - x);
                var tileHeight = Math.Min(TileSize, height - y);
                yield return Header(1);
                var subencoding = _header[0];
                if (subencoding > 30)
                {
                    throw new RfbProtocolException($"The session sent hextile subencoding {subencoding}.");
                }

                if ((subencoding & 0x01) != 0)
                {
                    yield return Pass(tileWidth * tileHeight * bytesPerPixel);
                    continue;
                }

                yield return Pass((((subencoding & 0x02) != 0) ? bytesPerPixel : 0) + (((subencoding & 0x04) != 0) ? bytesPerPixel : 0));
                if ((subencoding & 0x08) != 0)
                {
                    yield return Header(1);
                    yield return Pass(_header[0] * (((subencoding & 0x10) != 0) ? bytesPerPixel + 2 : 2));
                }
            }
        }
    }

    private IEnumerable<Demand> Tight(int width, int height, int pixelBytes)
    {
        yield return Header(1);
        var compression = _header[0] >> 4;
        if (compression == 0x08)
        {
            yield return Pass(pixelBytes);
            yield break;
        }

        if (compression == 0x09)
        {
            foreach (var demand in CompactLengthPayload())
            {
                yield return demand;
            }

            yield break;
        }

        if ((compression & 0x08) != 0)
        {
            throw new RfbProtocolException($"The session sent tight compression {compression}.");
        }

        var filter = 0;
        if ((compression & 0x04) != 0)
        {
            yield return Header(1);
            filter = _header[0];
        }

        long size;
        switch (filter)
        {
            case 0:
            case 2:
                size = (long)width * height * pixelBytes;
                break;
            case 1:
                yield return Header(1);
                var colours = _header[0] + 1;
                yield return Pass(colours * pixelBytes);
                size = (((long)width * (colours <= 2 ? 1 : 8)) + 7) / 8 * height;
                break;
            default:
                throw new RfbProtocolException($"The session sent tight filter {filter}.");
        }

        if (size == 0)
        {
            yield break;
        }

        if (size < 12)
        {
            yield return Pass(size);
            yield break;
        }

        foreach (var demand in CompactLengthPayload())
        {
            yield return demand;
        }
    }

    /// <summary>Tight's compact length (one to three bytes, seven bits each) and the data it measures.</summary>
    private IEnumerable<Demand> CompactLengthPayload()
    {
        yield return Header(1);
        long length = _header[0] & 0x7f;
        if ((_header[0] & 0x80) != 0)
        {
            yield return Header(1);
            length |= (_header[0] & 0x7fL) << 7;
            if ((_header[0] & 0x80) != 0)
            {
                yield return Header(1);
                length |= (long)_header[0] << 14;
            }
        }

        yield return Pass(length);
    }

    private readonly record struct Demand(Step Step, long Count);
}
