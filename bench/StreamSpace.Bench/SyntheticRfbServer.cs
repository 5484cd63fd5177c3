using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace StreamSpace.Bench;

/// <summary>
/// An RFB 3.8 server (security None) on a unix socket that does no work of its own, so a proxy in front of it is the
/// bottleneck: Xvnc compresses and paces its updates, which would measure Xvnc instead. The client's first message, a
/// ClientCutText <c>bench:&lt;workload&gt;</c>, picks what the connection does.
/// </summary>
internal sealed class SyntheticRfbServer : IAsyncDisposable
{
    public const string Download = "download";
    public const string Upload = "upload";
    public const string RoundTrip = "roundtrip";

    private const int Width = 1280;
    private const int Height = 800;

    private static readonly byte[] Update = BenchMessages.RawScreenUpdate(Width, Height);
    private static readonly byte[] Pong = BenchMessages.Pong();

    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private SyntheticRfbServer(string socketPath)
    {
        SocketPath = socketPath;
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        _listener.Listen(512);
        _accepting = AcceptAsync();
    }

    public string SocketPath { get; }

    public static SyntheticRfbServer Start(string socketPath) => new(socketPath);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped on purpose.
        }

        _stop.Dispose();
        File.Delete(SocketPath);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var connection = await _listener.AcceptAsync(_stop.Token);
            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        await using var stream = new NetworkStream(connection, ownsSocket: true);
        try
        {
            var workload = await HandshakeAsync(stream, _stop.Token);
            switch (workload)
            {
                case Download:
                    while (true)
                    {
                        await stream.WriteAsync(Update, _stop.Token);
                    }

                case Upload:
                    await CountUntilEndAsync(stream, _stop.Token);
                    break;
                case RoundTrip:
                    var ping = new byte[BenchMessages.RoundTripSize];
                    while (await stream.ReadAtLeastAsync(ping, ping.Length, throwOnEndOfStream: false, _stop.Token) == ping.Length)
                    {
                        await stream.WriteAsync(Pong, _stop.Token);
                    }

                    break;
                default:
                    throw new InvalidDataException($"Unknown workload '{workload}'.");
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or EndOfStreamException)
        {
            // The client or the proxy went away: that is how every workload ends.
        }
    }

    /// <summary>The server side of the RFB 3.8 handshake, then the workload named in the first ClientCutText.</summary>
    private static async Task<string> HandshakeAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        await stream.WriteAsync("RFB 003.008\n"u8.ToArray(), cancellationToken);
        await stream.ReadExactlyAsync(new byte[12], cancellationToken);
        await stream.WriteAsync(new byte[] { 1, 1 }, cancellationToken);
        var chosen = new byte[1];
        await stream.ReadExactlyAsync(chosen, cancellationToken);
        await stream.WriteAsync(new byte[4], cancellationToken);
        await stream.ReadExactlyAsync(new byte[1], cancellationToken);
        await stream.WriteAsync(BenchMessages.ServerInit(Width, Height, "bench"), cancellationToken);

        var header = new byte[8];
        await stream.ReadExactlyAsync(header, cancellationToken);
        var text = new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4))];
        await stream.ReadExactlyAsync(text, cancellationToken);
        return header[0] == 6 && BenchMessages.TryReadWorkload(text, out var workload)
            ? workload
            : throw new InvalidDataException("The first client message does not name a workload.");
    }

    /// <summary>
    /// Walks the flood of PointerEvents and FramebufferUpdateRequests message by message; at the closing ClientCutText
    /// answers with a ServerCutText holding the number of bytes received before it.
    /// </summary>
    private static async Task CountUntilEndAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[256 * 1024];
        long counted = 0;
        var remainingInMessage = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return;
            }

            var position = Math.Min(remainingInMessage, read);
            remainingInMessage -= position;
            while (position < read)
            {
                var length = buffer[position] switch
                {
                    3 => 10,
                    4 => 8,
                    5 => 6,
                    6 => 0,
                    var type => throw new InvalidDataException($"Unexpected client message type {type} in the upload."),
                };
                if (length == 0)
                {
                    counted += position;
                    var answer = Encoding.ASCII.GetBytes(counted.ToString(CultureInfo.InvariantCulture));
                    var reply = new byte[8 + answer.Length];
                    reply[0] = 3;
                    BinaryPrimitives.WriteInt32BigEndian(reply.AsSpan(4), answer.Length);
                    answer.CopyTo(reply, 8);
                    await stream.WriteAsync(reply, cancellationToken);
                    return;
                }

                var take = Math.Min(length, read - position);
                position += take;
                remainingInMessage = length - take;
            }

            counted += read;
        }
    }
}
