using System.Buffers.Binary;
using System.Net.Sockets;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>
/// A session's VNC server as a member could run it on their own socket: an RFB 3.8 server on a unix socket that offers the
/// security types it is told to, sends <see cref="AfterInit"/> right after ServerInit, and records what the gateway writes.
/// With <see cref="Stall"/> it accepts and never says a word.
/// </summary>
internal sealed class GatewayFakeSession : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly DirectoryInfo _directory;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Connection> _connections = [];
    private readonly Task _accepting;

    private GatewayFakeSession(DirectoryInfo directory, string socketName, byte[] securityTypes, byte[] afterInit, bool stall)
    {
        _directory = directory;
        SecurityTypes = securityTypes;
        AfterInit = afterInit;
        Stall = stall;
        SocketPath = Path.Combine(directory.FullName, socketName);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(2048);
        _accepting = AcceptAsync();
    }

    public byte[] SecurityTypes { get; }

    public byte[] AfterInit { get; }

    public bool Stall { get; }

    public string SocketPath { get; }

    public SessionEndpoint Endpoint => new(StreamProtocol.Rfb, "unix:" + SocketPath);

    public static GatewayFakeSession Start(byte[]? securityTypes = null, byte[]? afterInit = null, bool stall = false, string socketName = "vnc.sock") =>
        new(Directory.CreateTempSubdirectory("streamspace-fake-"), socketName, securityTypes ?? [1], afterInit ?? [], stall);

    /// <summary>A second fake in the same directory, so a test can choose its socket's name.</summary>
    public GatewayFakeSession Beside(string socketName, byte[]? securityTypes = null, byte[]? afterInit = null) =>
        new(_directory, socketName, securityTypes ?? [1], afterInit ?? [], stall: false);

    public int Accepted
    {
        get
        {
            lock (_connections)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>How many accepted connections the gateway has closed.</summary>
    public int Closed
    {
        get
        {
            lock (_connections)
            {
                return _connections.Count(c => c.Ended);
            }
        }
    }

    /// <summary>What the gateway wrote after its ClientInit, on every connection.</summary>
    public byte[] Received
    {
        get
        {
            lock (_connections)
            {
                return _connections.SelectMany(c => c.Received()).ToArray();
            }
        }
    }

    /// <summary>The 24-byte ServerInit header plus name: 800×600, 32 bits per pixel, depth 24, true colour.</summary>
    public static byte[] ServerInit()
    {
        var init = new byte[24 + 4];
        BinaryPrimitives.WriteUInt16BigEndian(init, 800);
        BinaryPrimitives.WriteUInt16BigEndian(init.AsSpan(2), 600);
        init[4] = 32;
        init[5] = 24;
        init[7] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(init.AsSpan(8), 255);
        BinaryPrimitives.WriteUInt16BigEndian(init.AsSpan(10), 255);
        BinaryPrimitives.WriteUInt16BigEndian(init.AsSpan(12), 255);
        init[14] = 16;
        init[15] = 8;
        init[16] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(init.AsSpan(20), 4);
        "fake"u8.CopyTo(init.AsSpan(24));
        return init;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Socket.Dispose();
            }
        }

        File.Delete(SocketPath);
        if (!_directory.EnumerateFileSystemInfos().Any())
        {
            _directory.Delete();
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var connection = new Connection(socket);
            lock (_connections)
            {
                _connections.Add(connection);
            }

            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(Connection connection)
    {
        var stream = new NetworkStream(connection.Socket, ownsSocket: false);
        try
        {
            if (Stall)
            {
                // Says nothing; only notices when the gateway gives up.
                await stream.ReadAtLeastAsync(new byte[1], 1, throwOnEndOfStream: false, _stop.Token);
                return;
            }

            await stream.WriteAsync("RFB 003.008\n"u8.ToArray(), _stop.Token);
            await stream.ReadExactlyAsync(new byte[12], _stop.Token);
            await stream.WriteAsync(new[] { (byte)SecurityTypes.Length }.Concat(SecurityTypes).ToArray(), _stop.Token);
            var chosen = new byte[1];
            await stream.ReadExactlyAsync(chosen, _stop.Token);
            if (chosen[0] == 2)
            {
                await stream.WriteAsync(new byte[16], _stop.Token);
                await stream.ReadExactlyAsync(new byte[16], _stop.Token);
            }

            await stream.WriteAsync(new byte[4], _stop.Token);
            await stream.ReadExactlyAsync(new byte[1], _stop.Token);
            await stream.WriteAsync(ServerInit(), _stop.Token);
            await stream.WriteAsync(AfterInit, _stop.Token);
            var buffer = new byte[4096];
            int read;
            while ((read = await stream.ReadAsync(buffer, _stop.Token)) > 0)
            {
                connection.Record(buffer.AsSpan(0, read));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The gateway or the test ended the connection.
        }
        finally
        {
            connection.Ended = true;
        }
    }

    private sealed class Connection(Socket socket)
    {
        private readonly List<byte> _received = [];

        public Socket Socket => socket;

        private volatile bool _ended;

        public bool Ended
        {
            get => _ended;
            set => _ended = value;
        }

        public void Record(ReadOnlySpan<byte> bytes)
        {
            lock (_received)
            {
                _received.AddRange(bytes);
            }
        }

        public byte[] Received()
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }
}
