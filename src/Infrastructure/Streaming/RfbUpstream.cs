using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;

namespace StreamSpace.Infrastructure.Streaming;

/// <summary>
/// The gateway's own RFB 3.8 client connection to a session's VNC server. It completes the security handshake itself,
/// so the VNC password stays in the gateway and the viewer only ever sees security type None.
/// </summary>
public sealed class RfbUpstream : IAsyncDisposable
{
    private const byte SecurityNone = 1;
    private const byte SecurityVncAuth = 2;
    private const int ServerInitHeaderLength = 24;
    private const int MaxReasonLength = 4096;
    private const int MaxDesktopNameLength = 4096;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private RfbUpstream(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>The byte stream after the handshake: server messages to relay, client messages to write.</summary>
    public Stream Stream => _stream;

    /// <summary>
    /// Connects to <paramref name="endpoint"/> and authenticates with VncAuth when a password is given (a server that does not
    /// offer it is refused), else with None.
    /// </summary>
    /// <exception cref="RfbProtocolException">The session refused, or does not speak RFB 3.8.</exception>
    public static async Task<RfbUpstream> ConnectAsync(SessionEndpoint endpoint, string? vncPassword, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Protocol != StreamProtocol.Rfb)
        {
            throw new ArgumentException($"Endpoint {endpoint.Address} does not serve RFB.", nameof(endpoint));
        }

        var address = ParseAddress(endpoint.Address);
        var socket = address is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await ConnectWithRetryAsync(socket, address, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var upstream = new RfbUpstream(socket);
        try
        {
            await upstream.AuthenticateAsync(vncPassword, cancellationToken);
            return upstream;
        }
        catch
        {
            await upstream.DisposeAsync();
            throw;
        }
    }

    /// <summary>A unix socket whose listen backlog is full refuses at once with EAGAIN instead of queueing like TCP.</summary>
    private static async Task ConnectWithRetryAsync(Socket socket, EndPoint address, CancellationToken cancellationToken)
    {
        var pause = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            try
            {
                await socket.ConnectAsync(address, cancellationToken);
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TryAgain && address is UnixDomainSocketEndPoint)
            {
                await Task.Delay(pause, cancellationToken);
                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 200));
            }
        }
    }

    /// <summary>Parses <c>unix:/path/vnc.sock</c> or <c>tcp:host:port</c> (IPv6 hosts in brackets).</summary>
    public static EndPoint ParseAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.StartsWith("unix:", StringComparison.Ordinal) && address.Length > "unix:".Length)
        {
            return new UnixDomainSocketEndPoint(address["unix:".Length..]);
        }

        if (address.StartsWith("tcp:", StringComparison.Ordinal))
        {
            var hostAndPort = address["tcp:".Length..];
            var colon = hostAndPort.LastIndexOf(':');
            if (colon > 0 && ushort.TryParse(hostAndPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port > 0)
            {
                var host = hostAndPort[..colon].Trim('[', ']');
                return IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
            }
        }

        throw new ArgumentException($"'{address}' is neither unix:/path nor tcp:host:port.", nameof(address));
    }

    /// <summary>Sends ClientInit (always shared, so one viewer cannot push another out) and returns the whole ServerInit.</summary>
    public async Task<byte[]> InitialiseAsync(CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(new byte[] { 1 }, cancellationToken);
        var header = new byte[ServerInitHeaderLength];
        await _stream.ReadExactlyAsync(header, cancellationToken);
        var nameLength = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(20));
        if (nameLength > MaxDesktopNameLength)
        {
            throw new RfbProtocolException($"The session's desktop name is {nameLength} bytes long.");
        }

        var serverInit = new byte[ServerInitHeaderLength + (int)nameLength];
        header.CopyTo(serverInit, 0);
        await _stream.ReadExactlyAsync(serverInit.AsMemory(ServerInitHeaderLength), cancellationToken);
        return serverInit;
    }

    /// <summary>Stops both directions so a pending read returns, without waiting for the peer.</summary>
    public void Shutdown()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already gone: nothing left to stop.
        }
        catch (ObjectDisposedException)
        {
            // Already disposed: nothing left to stop.
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    private async Task AuthenticateAsync(string? vncPassword, CancellationToken cancellationToken)
    {
        var banner = new byte[RfbVersion.Length];
        await _stream.ReadExactlyAsync(banner, cancellationToken);
        if (!RfbVersion.TryParse(banner, out var major, out var minor))
        {
            throw new RfbProtocolException($"The session sent '{RfbVersion.Describe(banner)}' instead of an RFB version.");
        }

        if (major < 3 || (major == 3 && minor < 8))
        {
            // TigerVNC refuses a black-listed address in the RFB 3.3 form: a zero security type, then the reason.
            var refusal = new byte[4];
            if (major == 3 && await _stream.ReadAtLeastAsync(refusal, 4, throwOnEndOfStream: false, cancellationToken) == 4
                && BinaryPrimitives.ReadUInt32BigEndian(refusal) == 0)
            {
                throw new RfbProtocolException($"The session refused the connection: {await ReadReasonAsync(cancellationToken)}");
            }

            throw new RfbProtocolException($"The session speaks RFB {major}.{minor}; 3.8 is required.");
        }

        await _stream.WriteAsync(RfbVersion.Version38.ToArray(), cancellationToken);

        var count = await ReadByteAsync(cancellationToken);
        if (count == 0)
        {
            throw new RfbProtocolException($"The session refused the connection: {await ReadReasonAsync(cancellationToken)}");
        }

        var offered = new byte[count];
        await _stream.ReadExactlyAsync(offered, cancellationToken);
        // With a password the runtime started the server with VncAuth; a server offering less is not the one it started.
        var chosen = vncPassword is not null
            ? offered.Contains(SecurityVncAuth)
                ? SecurityVncAuth
                : throw new RfbProtocolException(
                    $"The session offers security types [{string.Join(", ", offered)}] without VncAuth, but its runtime set a VNC password.")
            : offered.Contains(SecurityNone)
                ? SecurityNone
                : throw new RfbProtocolException($"The session offers security types [{string.Join(", ", offered)}] and no VNC password is known.");
        await _stream.WriteAsync(new[] { chosen }, cancellationToken);

        if (chosen == SecurityVncAuth)
        {
            var challenge = new byte[VncAuthentication.ChallengeLength];
            await _stream.ReadExactlyAsync(challenge, cancellationToken);
            await _stream.WriteAsync(VncAuthentication.Respond(vncPassword!, challenge), cancellationToken);
        }

        var result = new byte[4];
        await _stream.ReadExactlyAsync(result, cancellationToken);
        if (BinaryPrimitives.ReadUInt32BigEndian(result) != 0)
        {
            throw new RfbProtocolException($"The session rejected the gateway: {await ReadReasonAsync(cancellationToken)}");
        }
    }

    private async Task<byte> ReadByteAsync(CancellationToken cancellationToken)
    {
        var one = new byte[1];
        await _stream.ReadExactlyAsync(one, cancellationToken);
        return one[0];
    }

    /// <summary>The server's reason string; it comes from the session, so it is cut short and made printable before logging.</summary>
    private async Task<string> ReadReasonAsync(CancellationToken cancellationToken)
    {
        var lengthBytes = new byte[4];
        await _stream.ReadExactlyAsync(lengthBytes, cancellationToken);
        var length = BinaryPrimitives.ReadUInt32BigEndian(lengthBytes);
        if (length > MaxReasonLength)
        {
            return $"(a reason of {length} bytes)";
        }

        var reason = new byte[length];
        await _stream.ReadExactlyAsync(reason, cancellationToken);
        var text = Encoding.UTF8.GetString(reason);
        return new string(text.Select(c => char.IsControl(c) ? ' ' : c).Take(200).ToArray());
    }
}
