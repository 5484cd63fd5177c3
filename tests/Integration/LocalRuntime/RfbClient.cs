using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace StreamSpace.Tests.Integration.LocalRuntime;

/// <summary>Just enough of an RFB 3.8 client to get from the version banner to ServerInit.</summary>
internal static class RfbClient
{
    private const byte SecurityNone = 1;
    private const byte SecurityVncAuth = 2;

    /// <summary>Completes the handshake and returns the framebuffer size from ServerInit; throws when the server refuses.</summary>
    public static async Task<(int Width, int Height)> HandshakeAsync(string address, string? password)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var cancellationToken = timeout.Token;
        Socket socket;
        if (address.StartsWith("tcp:", StringComparison.Ordinal))
        {
            // A container's published port: tcp:127.0.0.1:PORT.
            var hostPort = address["tcp:".Length..];
            socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(
                hostPort[..hostPort.LastIndexOf(':')], int.Parse(hostPort[(hostPort.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        }
        else
        {
            Assert.StartsWith("unix:", address, StringComparison.Ordinal);
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(address["unix:".Length..]), cancellationToken);
        }

        using var owned = socket;
        await using var stream = new NetworkStream(socket);

        Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(await ReadAsync(stream, 12, cancellationToken)));
        await stream.WriteAsync("RFB 003.008\n"u8.ToArray(), cancellationToken);

        var count = (await ReadAsync(stream, 1, cancellationToken))[0];
        if (count == 0)
        {
            throw new RfbRefusedException(await ReadReasonAsync(stream, cancellationToken));
        }

        var types = await ReadAsync(stream, count, cancellationToken);
        if (password is null)
        {
            Assert.Contains(SecurityNone, types);
            await stream.WriteAsync(new[] { SecurityNone }, cancellationToken);
        }
        else
        {
            Assert.Contains(SecurityVncAuth, types);
            await stream.WriteAsync(new[] { SecurityVncAuth }, cancellationToken);
            var challenge = await ReadAsync(stream, 16, cancellationToken);
            await stream.WriteAsync(VncAuthResponse(password, challenge), cancellationToken);
        }

        var result = BinaryPrimitives.ReadUInt32BigEndian(await ReadAsync(stream, 4, cancellationToken));
        if (result != 0)
        {
            throw new RfbRefusedException(await ReadReasonAsync(stream, cancellationToken));
        }

        await stream.WriteAsync(new byte[] { 1 }, cancellationToken);
        var serverInit = await ReadAsync(stream, 24, cancellationToken);
        var width = BinaryPrimitives.ReadUInt16BigEndian(serverInit.AsSpan(0, 2));
        var height = BinaryPrimitives.ReadUInt16BigEndian(serverInit.AsSpan(2, 2));
        await ReadAsync(stream, (int)BinaryPrimitives.ReadUInt32BigEndian(serverInit.AsSpan(20, 4)), cancellationToken);
        return (width, height);
    }

    /// <summary>VNC's DES: the password, padded to 8 bytes, is the key with each byte's bits in reverse order.</summary>
    private static byte[] VncAuthResponse(string password, byte[] challenge)
    {
        var key = new byte[8];
        var bytes = Encoding.ASCII.GetBytes(password);
        for (var i = 0; i < Math.Min(8, bytes.Length); i++)
        {
            var value = bytes[i];
            byte reversed = 0;
            for (var bit = 0; bit < 8; bit++)
            {
                reversed |= (byte)(((value >> bit) & 1) << (7 - bit));
            }

            key[i] = reversed;
        }

#pragma warning disable CA5351 // The RFB protocol's VncAuth is defined as DES; the test must speak it.
        using var des = DES.Create();
#pragma warning restore CA5351
        des.Key = key;
        return des.EncryptEcb(challenge, PaddingMode.None);
    }

    private static async Task<string> ReadReasonAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(await ReadAsync(stream, 4, cancellationToken));
        return Encoding.UTF8.GetString(await ReadAsync(stream, length, cancellationToken));
    }

    private static async Task<byte[]> ReadAsync(NetworkStream stream, int length, CancellationToken cancellationToken)
    {
        var buffer = new byte[length];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }
}
