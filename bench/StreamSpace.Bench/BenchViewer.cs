using System.Buffers.Binary;
using System.Net.WebSockets;

namespace StreamSpace.Bench;

/// <summary>An RFB 3.8 client over a WebSocket, playing noVNC: the same bytes whichever proxy is in front of the server.</summary>
internal sealed class BenchViewer : IAsyncDisposable
{
    private const int RawEncoding = 0;
    private const int CopyRectEncoding = 1;
    private const int ZrleEncoding = 16;

    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _buffer;
    private readonly byte[] _header = new byte[16];
    private int _start;
    private int _end;

    private BenchViewer(int bufferSize)
    {
        _buffer = new byte[bufferSize];
        // No pings: the proxies would have to answer them in the middle of a measurement.
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
    }

    public int Width { get; private set; }

    public int Height { get; private set; }

    private int BytesPerPixel { get; set; }

    /// <summary>Connects and completes the RFB handshake up to and including ServerInit, as a shared client.</summary>
    public static async Task<BenchViewer> ConnectAsync(Uri uri, int bufferSize, CancellationToken cancellationToken)
    {
        var viewer = new BenchViewer(bufferSize);
        try
        {
            await viewer._socket.ConnectAsync(uri, cancellationToken);
            await viewer.HandshakeAsync(cancellationToken);
            return viewer;
        }
        catch
        {
            await viewer.DisposeAsync();
            throw;
        }
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        _socket.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);

    /// <summary>Receives whatever comes next and throws it away; returns how many RFB bytes that was.</summary>
    public async ValueTask<int> DiscardAsync(CancellationToken cancellationToken)
    {
        if (_start < _end)
        {
            var buffered = _end - _start;
            _start = _end = 0;
            return buffered;
        }

        var result = await _socket.ReceiveAsync(_buffer.AsMemory(), cancellationToken);
        return result.MessageType == WebSocketMessageType.Close
            ? throw new EndOfStreamException("The proxy closed the stream.")
            : result.Count;
    }

    public async ValueTask ReadExactlyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < destination.Length)
        {
            await FillAsync(cancellationToken);
            var take = Math.Min(destination.Length - filled, _end - _start);
            _buffer.AsMemory(_start, take).CopyTo(destination[filled..]);
            _start += take;
            filled += take;
        }
    }

    /// <summary>Reads server messages until one whole FramebufferUpdate (Raw, CopyRect or ZRLE rectangles) has arrived.</summary>
    public async Task ReadFramebufferUpdateAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await ReadExactlyAsync(_header.AsMemory(0, 1), cancellationToken);
            switch (_header[0])
            {
                case 0:
                    await ReadExactlyAsync(_header.AsMemory(0, 3), cancellationToken);
                    var rectangles = BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(1));
                    for (var i = 0; i < rectangles; i++)
                    {
                        await SkipRectangleAsync(cancellationToken);
                    }

                    return;
                case 1:
                    await ReadExactlyAsync(_header.AsMemory(0, 5), cancellationToken);
                    await SkipAsync(6 * BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(3)), cancellationToken);
                    break;
                case 2:
                    break;
                case 3:
                    await ReadExactlyAsync(_header.AsMemory(0, 7), cancellationToken);
                    await SkipAsync(Math.Abs(BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(3))), cancellationToken);
                    break;
                default:
                    throw new InvalidDataException($"Unexpected server message type {_header[0]}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                // The proxy is already gone.
            }
        }

        _socket.Dispose();
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        await ReadExactlyAsync(_header.AsMemory(0, 12), cancellationToken);
        await SendAsync("RFB 003.008\n"u8.ToArray(), cancellationToken);
        await ReadExactlyAsync(_header.AsMemory(0, 1), cancellationToken);
        await SkipAsync(_header[0], cancellationToken);
        await SendAsync(new byte[] { 1 }, cancellationToken);
        await ReadExactlyAsync(_header.AsMemory(0, 4), cancellationToken);
        if (BinaryPrimitives.ReadUInt32BigEndian(_header) != 0)
        {
            throw new InvalidDataException("The server refused security type None.");
        }

        // Shared: without it, Xvnc would disconnect every other viewer of the display.
        await SendAsync(new byte[] { 1 }, cancellationToken);
        var serverInit = new byte[24];
        await ReadExactlyAsync(serverInit, cancellationToken);
        Width = BinaryPrimitives.ReadUInt16BigEndian(serverInit);
        Height = BinaryPrimitives.ReadUInt16BigEndian(serverInit.AsSpan(2));
        BytesPerPixel = serverInit[4] / 8;
        await SkipAsync(BinaryPrimitives.ReadUInt32BigEndian(serverInit.AsSpan(20)), cancellationToken);
    }

    private async Task SkipRectangleAsync(CancellationToken cancellationToken)
    {
        await ReadExactlyAsync(_header.AsMemory(0, 12), cancellationToken);
        var width = BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(4));
        var height = BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(6));
        switch (BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(8)))
        {
            case RawEncoding:
                await SkipAsync((long)width * height * BytesPerPixel, cancellationToken);
                break;
            case CopyRectEncoding:
                await SkipAsync(4, cancellationToken);
                break;
            case ZrleEncoding:
                await ReadExactlyAsync(_header.AsMemory(0, 4), cancellationToken);
                await SkipAsync(BinaryPrimitives.ReadUInt32BigEndian(_header), cancellationToken);
                break;
            case var encoding:
                throw new InvalidDataException($"Unexpected encoding {encoding}; only Raw, CopyRect and ZRLE were asked for.");
        }
    }

    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            await FillAsync(cancellationToken);
            var take = (int)Math.Min(count, _end - _start);
            _start += take;
            count -= take;
        }
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start < _end)
        {
            return;
        }

        _start = 0;
        _end = 0;
        var result = await _socket.ReceiveAsync(_buffer.AsMemory(), cancellationToken);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            throw new EndOfStreamException($"The proxy closed the stream: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
        }

        _end = result.Count;
    }

    public static int[] PreferredEncodings => [ZrleEncoding, CopyRectEncoding, RawEncoding];
}
