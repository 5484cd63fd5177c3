using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Streaming;

/// <summary>A tiny RFB 3.8 client over a WebSocket, playing noVNC in the browser.</summary>
internal sealed class TestViewer : IAsyncDisposable
{
    private readonly WebSocket _socket;
    private readonly byte[] _buffer = new byte[256 * 1024];
    private int _start;
    private int _end;

    public int Width { get; private set; }

    public int Height { get; private set; }

    public int BytesPerPixel { get; private set; }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    public TestViewer(WebSocket socket)
    {
        _socket = socket;
    }

    public static async Task<TestViewer> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(uri, cancellationToken);
        return new TestViewer(socket);
    }

    /// <summary>Version, security None, SecurityResult, ClientInit (shared) and ServerInit.</summary>
    public async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        var banner = await ReadAsync(12, cancellationToken);
        Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(banner));
        await SendAsync("RFB 003.008\n"u8.ToArray(), cancellationToken);
        var count = (await ReadAsync(1, cancellationToken))[0];
        Assert.Equal([1], await ReadAsync(count, cancellationToken));
        await SendAsync([1], cancellationToken);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(await ReadAsync(4, cancellationToken)));
        await SendAsync([1], cancellationToken);
        var serverInit = await ReadAsync(24, cancellationToken);
        Width = BinaryPrimitives.ReadUInt16BigEndian(serverInit);
        Height = BinaryPrimitives.ReadUInt16BigEndian(serverInit.AsSpan(2));
        BytesPerPixel = serverInit[4] / 8;
        await ReadAsync((int)BinaryPrimitives.ReadUInt32BigEndian(serverInit.AsSpan(20)), cancellationToken);
    }

    /// <summary>The next <paramref name="count"/> bytes the gateway relays, whatever messages they make.</summary>
    public Task<byte[]> ReadBytesAsync(int count, CancellationToken cancellationToken) => ReadAsync(count, cancellationToken);

    public async Task SendAsync(byte[] bytes, CancellationToken cancellationToken) =>
        await _socket.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);

    public Task SetEncodingsAsync(CancellationToken cancellationToken, params int[] encodings) =>
        SendAsync(RfbMessages.SetEncodings(encodings), cancellationToken);

    public Task RequestUpdateAsync(bool incremental, int x, int y, int width, int height, CancellationToken cancellationToken) =>
        SendAsync(RfbMessages.FramebufferUpdateRequest(incremental, x, y, width, height), cancellationToken);

    /// <summary>Reads server messages until a whole FramebufferUpdate arrived; returns its rectangle count.</summary>
    public async Task<int> ReadFramebufferUpdateAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var type = (await ReadAsync(1, cancellationToken))[0];
            switch (type)
            {
                case 0:
                    var rectangles = BinaryPrimitives.ReadUInt16BigEndian((await ReadAsync(3, cancellationToken)).AsSpan(1));
                    for (var i = 0; i < rectangles; i++)
                    {
                        var header = await ReadAsync(12, cancellationToken);
                        var width = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4));
                        var height = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(6));
                        var encoding = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8));
                        Assert.Equal(0, encoding);
                        await SkipAsync(width * height * BytesPerPixel, cancellationToken);
                    }

                    return rectangles;
                case 2:
                    break;
                case 3:
                    var length = BinaryPrimitives.ReadInt32BigEndian((await ReadAsync(7, cancellationToken)).AsSpan(3));
                    await SkipAsync(Math.Abs(length), cancellationToken);
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected server message type {type}.");
            }
        }
    }

    /// <summary>Reads until the gateway's close frame arrives; false when the deadline passes first.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var scratch = new byte[64 * 1024];
        try
        {
            while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await _socket.ReceiveAsync(scratch, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return true;
                }
            }

            return _socket.CloseStatus is not null;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (WebSocketException)
        {
            // The connection ended without a close frame: closed all the same.
            return true;
        }
    }

    /// <summary>Tells the gateway the viewer is done sending, as a browser tab does when it closes.</summary>
    public async Task CloseOutputAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            }
            catch (WebSocketException)
            {
                // The gateway closed first.
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<byte[]> ReadAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            await FillAsync(cancellationToken);
            var take = Math.Min(count - filled, _end - _start);
            Array.Copy(_buffer, _start, result, filled, take);
            _start += take;
            filled += take;
        }

        return result;
    }

    private async Task SkipAsync(int count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            await FillAsync(cancellationToken);
            var take = Math.Min(count, _end - _start);
            _start += take;
            count -= take;
        }
    }

    private async Task FillAsync(CancellationToken cancellationToken)
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
            throw new EndOfStreamException($"The gateway closed the stream: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
        }

        _end = result.Count;
    }
}
