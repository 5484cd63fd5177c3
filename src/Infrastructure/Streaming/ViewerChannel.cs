using System.Buffers;
using System.Buffers.Binary;
using System.Net.WebSockets;

namespace StreamSpace.Infrastructure.Streaming;

/// <summary>
/// The viewer's WebSocket seen as one RFB byte stream: noVNC's frames are not aligned to RFB messages, so received
/// bytes are buffered here and the gateway plays an RFB 3.8 server offering only security type None.
/// </summary>
internal sealed class ViewerChannel(WebSocket socket) : IDisposable
{
    public const int ReceiveBufferSize = 64 * 1024;

    private const byte SecurityNone = 1;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
    private int _start;
    private int _end;

    public WebSocket Socket => socket;

    /// <summary>Bytes received but not yet consumed.</summary>
    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    public void ConsumeAll()
    {
        _start = 0;
        _end = 0;
    }

    /// <summary>Receives one more frame into the buffer; false when the viewer closed the WebSocket.</summary>
    public async ValueTask<bool> ReceiveAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            ConsumeAll();
        }
        else if (_end == _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var result = await socket.ReceiveAsync(_buffer.AsMemory(_end), cancellationToken);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            return false;
        }

        if (result.MessageType != WebSocketMessageType.Binary)
        {
            throw new RfbProtocolException("The viewer sent a text frame; RFB travels in binary frames.");
        }

        _end += result.Count;
        return true;
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        socket.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);

    /// <summary>
    /// Version, security (None only), SecurityResult OK, then the viewer's ClientInit. Bytes the viewer sends after
    /// ClientInit stay in <see cref="Buffered"/>.
    /// </summary>
    public async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        await SendAsync(RfbVersion.Version38.ToArray(), cancellationToken);
        var banner = new byte[RfbVersion.Length];
        await ReadExactlyAsync(banner, cancellationToken);
        if (!RfbVersion.TryParse(banner, out var major, out var minor))
        {
            throw new RfbProtocolException($"The viewer sent '{RfbVersion.Describe(banner)}' instead of an RFB version.");
        }

        if (major != 3 || minor != 8)
        {
            throw new RfbProtocolException($"The viewer asked for RFB {major}.{minor}; only 3.8 is served.");
        }

        await SendAsync(new byte[] { 1, SecurityNone }, cancellationToken);
        var chosen = new byte[1];
        await ReadExactlyAsync(chosen, cancellationToken);
        if (chosen[0] != SecurityNone)
        {
            throw new RfbProtocolException($"The viewer chose security type {chosen[0]}; only None (1) was offered.");
        }

        var ok = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(ok, 0);
        await SendAsync(ok, cancellationToken);

        // ClientInit's shared flag is ignored: the gateway always joins the session shared.
        await ReadExactlyAsync(new byte[1], cancellationToken);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private async Task ReadExactlyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < destination.Length)
        {
            if (_start == _end && !await ReceiveAsync(cancellationToken))
            {
                throw new RfbProtocolException("The viewer closed the stream during the handshake.");
            }

            var take = Math.Min(destination.Length - filled, _end - _start);
            _buffer.AsMemory(_start, take).CopyTo(destination[filled..]);
            _start += take;
            filled += take;
        }
    }
}
