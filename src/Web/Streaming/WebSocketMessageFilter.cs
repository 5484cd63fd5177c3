using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace StreamSpace.Web.Streaming;

/// <summary>
/// Reads one direction of a WebSocket connection (RFC 6455 §5) as it is relayed, unmasking and reassembling each data
/// message across its fragments, and asks <see cref="WebSocketMessageJudge"/> what becomes of it: forwarded as sent,
/// dropped, or replaced. Until the judge decides, the message's frames are held (up to <c>holdLimit</c> payload bytes);
/// once it has, the rest of the message streams through unheld. Control frames always pass, as they arrive (§5.4 lets
/// them sit between a message's fragments, so one sent ahead of a held message's frames is still in order).
/// Pure: no I/O.
/// </summary>
internal sealed class WebSocketMessageFilter(
    WebSocketMessageJudge judge, WebSocketPayloadRewrite? rewrite = null, int holdLimit = WebSocketMessageFilter.DefaultHoldLimit)
{
    public const int DefaultHoldLimit = 1024 * 1024;

    private const int MaxHeader = 14;

    private readonly byte[] _header = new byte[MaxHeader];
    private readonly ArrayBufferWriter<byte> _heldRaw = new();
    private readonly ArrayBufferWriter<byte> _heldPayload = new();
    private readonly ArrayBufferWriter<byte> _replacement = new();
    private int _headerLength;
    private bool _inPayload;
    private bool _fin;
    private bool _control;
    private bool _masked;
    private uint _mask;
    private long _remaining;
    private long _frameMaskOffset;
    private WebSocketOpcode? _messageOpcode;
    private WebSocketVerdict _verdict = WebSocketVerdict.Hold;

    /// <summary>Writes to <paramref name="output"/> every byte of <paramref name="input"/> that goes on, in order.</summary>
    /// <exception cref="WebSocketFilterException">A frame this filter must not relay unread (an extension's, a bad opcode).</exception>
    public void Process(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        while (!input.IsEmpty)
        {
            if (!_inPayload)
            {
                if (!ReadHeader(ref input, output))
                {
                    return;
                }

                continue;
            }

            var take = (int)Math.Min(_remaining, input.Length);
            var chunk = input[..take];
            input = input[take..];
            _remaining -= take;
            if (_control || _verdict == WebSocketVerdict.Forward)
            {
                output.Write(chunk);
            }
            else if (_verdict == WebSocketVerdict.Hold)
            {
                _heldRaw.Write(chunk);
                Unmask(chunk);
                Judge(complete: _remaining == 0 && _fin, output);
            }
            else if (_verdict == WebSocketVerdict.Rewrite)
            {
                Unmask(chunk);
                Rewrite(output);
            }

            if (_remaining == 0)
            {
                EndFrame();
            }
        }
    }

    private bool ReadHeader(ref ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        var needed = HeaderLength();
        while (_headerLength < needed)
        {
            if (input.IsEmpty)
            {
                return false;
            }

            _header[_headerLength++] = input[0];
            input = input[1..];
            needed = HeaderLength();
        }

        var first = _header[0];
        if ((first & 0x70) != 0)
        {
            throw new WebSocketFilterException("A frame uses an extension (RSV bits set); the proxy negotiates none, so it cannot read it.");
        }

        var opcode = (WebSocketOpcode)(first & 0x0F);
        _fin = (first & 0x80) != 0;
        _control = opcode >= WebSocketOpcode.Close;
        _masked = (_header[1] & 0x80) != 0;
        var length = (long)(_header[1] & 0x7F);
        var offset = 2;
        if (length == 126)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2));
            offset = 4;
        }
        else if (length == 127)
        {
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2));
            offset = 10;
            if (length < 0)
            {
                throw new WebSocketFilterException("A frame declares a length beyond 2^63.");
            }
        }

        _mask = _masked ? BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(offset)) : 0;
        _remaining = length;
        var header = _header.AsSpan(0, _headerLength);
        _headerLength = 0;
        _inPayload = true;

        if (_control)
        {
            if (opcode is not (WebSocketOpcode.Close or WebSocketOpcode.Ping or WebSocketOpcode.Pong) || !_fin || length > 125)
            {
                throw new WebSocketFilterException($"Control frame with opcode {(int)opcode}, fin {_fin}, length {length} is not allowed.");
            }

            output.Write(header);
        }
        else
        {
            StartDataFrame(opcode, header, output);
        }

        if (_remaining == 0)
        {
            if (!_control && _verdict == WebSocketVerdict.Hold)
            {
                Judge(complete: _fin, output);
            }

            EndFrame();
        }

        return true;
    }

    private void StartDataFrame(WebSocketOpcode opcode, ReadOnlySpan<byte> header, IBufferWriter<byte> output)
    {
        if (opcode == WebSocketOpcode.Continuation)
        {
            if (_messageOpcode is null)
            {
                throw new WebSocketFilterException("A continuation frame arrived outside a message.");
            }
        }
        else if (opcode is WebSocketOpcode.Text or WebSocketOpcode.Binary)
        {
            if (_messageOpcode is not null)
            {
                throw new WebSocketFilterException("A new message began before the last one ended.");
            }

            _messageOpcode = opcode;
            _verdict = WebSocketVerdict.Hold;
        }
        else
        {
            throw new WebSocketFilterException($"Opcode {(int)opcode} is reserved.");
        }

        _frameMaskOffset = 0;
        if (_verdict == WebSocketVerdict.Forward)
        {
            output.Write(header);
        }
        else if (_verdict == WebSocketVerdict.Hold)
        {
            _heldRaw.Write(header);
        }
    }

    private void EndFrame()
    {
        _inPayload = false;
        if (!_control && _fin)
        {
            _messageOpcode = null;
            _verdict = WebSocketVerdict.Hold;
            _heldRaw.ResetWrittenCount();
            _heldPayload.ResetWrittenCount();
        }
    }

    private void Judge(bool complete, IBufferWriter<byte> output)
    {
        var atLimit = !complete && _heldPayload.WrittenCount >= holdLimit;
        _replacement.ResetWrittenCount();
        var verdict = judge(_messageOpcode!.Value, _heldPayload.WrittenSpan, complete, atLimit, _replacement);
        switch (verdict)
        {
            case WebSocketVerdict.Hold when complete || atLimit:
                throw new InvalidOperationException("The judge must decide on a complete message or one that reached the hold limit.");
            case WebSocketVerdict.Hold:
                return;
            case WebSocketVerdict.Replace when !complete:
                throw new InvalidOperationException("Only a complete message can be replaced.");
            case WebSocketVerdict.Replace:
                WriteFrame(output, _messageOpcode.Value, _replacement.WrittenSpan, _masked);
                break;
            case WebSocketVerdict.Forward:
                output.Write(_heldRaw.WrittenSpan);
                break;
            case WebSocketVerdict.Rewrite:
                Rewrite(output);
                break;
        }

        _verdict = verdict == WebSocketVerdict.Replace ? WebSocketVerdict.Drop : verdict;
        _heldRaw.ResetWrittenCount();
        _heldPayload.ResetWrittenCount();
        if (_heldRaw.Capacity > 4 * holdLimit)
        {
            _heldRaw.Clear();
        }
    }

    /// <summary>Passes the unmasked payload held so far through the rewrite and sends what it gives as one frame.</summary>
    private void Rewrite(IBufferWriter<byte> output)
    {
        if (rewrite is null)
        {
            throw new InvalidOperationException("The judge asked for a rewrite, but this filter has none.");
        }

        _replacement.ResetWrittenCount();
        rewrite(_heldPayload.WrittenSpan, _replacement);
        _heldPayload.ResetWrittenCount();
        if (_replacement.WrittenCount > 0)
        {
            WriteFrame(output, _messageOpcode!.Value, _replacement.WrittenSpan, _masked);
        }
    }

    private void Unmask(ReadOnlySpan<byte> chunk)
    {
        var target = _heldPayload.GetSpan(chunk.Length)[..chunk.Length];
        chunk.CopyTo(target);
        if (_masked)
        {
            Span<byte> key = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(key, _mask);
            for (var i = 0; i < target.Length; i++)
            {
                target[i] ^= key[(int)((_frameMaskOffset + i) & 3)];
            }
        }

        _frameMaskOffset += chunk.Length;
        _heldPayload.Advance(chunk.Length);
    }

    /// <summary>How long the header being read is, as far as its bytes so far tell.</summary>
    private int HeaderLength()
    {
        if (_headerLength < 2)
        {
            return 2;
        }

        var length = (_header[1] & 0x7F) switch
        {
            126 => 4,
            127 => 10,
            _ => 2,
        };
        return length + ((_header[1] & 0x80) != 0 ? 4 : 0);
    }

    /// <summary>One unfragmented frame, masked (with a fresh key) when the original was.</summary>
    private static void WriteFrame(IBufferWriter<byte> output, WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool masked)
    {
        var header = output.GetSpan(MaxHeader);
        header[0] = (byte)(0x80 | (int)opcode);
        var maskBit = masked ? (byte)0x80 : (byte)0;
        int length;
        if (payload.Length < 126)
        {
            header[1] = (byte)(maskBit | payload.Length);
            length = 2;
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header[1] = (byte)(maskBit | 126);
            BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)payload.Length);
            length = 4;
        }
        else
        {
            header[1] = (byte)(maskBit | 127);
            BinaryPrimitives.WriteUInt64BigEndian(header[2..], (ulong)payload.Length);
            length = 10;
        }

        Span<byte> key = stackalloc byte[4];
        if (masked)
        {
            RandomNumberGenerator.Fill(key);
            key.CopyTo(header[length..]);
            length += 4;
        }

        output.Advance(length);
        var body = output.GetSpan(payload.Length)[..payload.Length];
        payload.CopyTo(body);
        if (masked)
        {
            for (var i = 0; i < body.Length; i++)
            {
                body[i] ^= key[i & 3];
            }
        }

        output.Advance(payload.Length);
    }
}
