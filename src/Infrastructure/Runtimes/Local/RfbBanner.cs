using System.Net.Sockets;
using System.Text;

namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>Readiness of a VNC server: a connect succeeds before Xvnc can serve, the 12-byte version banner does not.</summary>
internal static class RfbBanner
{
    private const int Length = 12;

    /// <summary>True when the socket answers with an RFB banner within <paramref name="timeout"/>; the probe connection is closed.</summary>
    public static async Task<bool> AnswersAsync(string socketPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!File.Exists(socketPath))
        {
            return false;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), deadline.Token);
            var banner = new byte[Length];
            var read = 0;
            while (read < Length)
            {
                var count = await socket.ReceiveAsync(banner.AsMemory(read), SocketFlags.None, deadline.Token);
                if (count == 0)
                {
                    return false;
                }

                read += count;
            }

            return Encoding.ASCII.GetString(banner).StartsWith("RFB 003.", StringComparison.Ordinal) && banner[^1] == '\n';
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
