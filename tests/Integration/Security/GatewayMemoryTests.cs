using System.Buffers.Binary;
using System.Net.WebSockets;
using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Tests.Integration.Streaming;

namespace StreamSpace.Tests.Integration.Security;

public sealed class GatewayMemoryTests
{
    private const int Sockets = 1_000;
    private const int AtOnce = 50;
    private const long MaxGrowth = 32L * 1024 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_thousand_viewers_that_each_declare_a_10_MiB_clipboard_are_closed_with_a_reason_and_the_gateway_s_memory_stays_bounded()
    {
        await using var session = GatewayFakeSession.Start();
        await using var gateway = await GatewayHost.StartAsync();
        var id = gateway.AddSession(session.Endpoint);

        // Buffer pools (Kestrel's, the gateway's) fill on first use and keep what they hold; only growth beyond that counts.
        await Task.WhenAll(Enumerable.Range(0, AtOnce).Select(_ => DeclareHugeClipboardAsync(gateway, id)));
        Assert.True(await Deadline.WaitUntilAsync(() => session.Closed == session.Accepted, Patience));
        var before = GC.GetTotalMemory(forceFullCollection: true);

        using var gate = new SemaphoreSlim(AtOnce);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Sockets).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                return await DeclareHugeClipboardAsync(gateway, id);
            }
            finally
            {
                gate.Release();
            }
        }));
        Assert.True(await Deadline.WaitUntilAsync(() => session.Closed == session.Accepted, Patience));
        var growth = GC.GetTotalMemory(forceFullCollection: true) - before;

        Assert.All(outcomes, outcome =>
        {
            Assert.Equal(WebSocketCloseStatus.ProtocolError, outcome.Status);
            Assert.Contains("larger than the 1048576 bytes allowed", outcome.Reason, StringComparison.Ordinal);
        });
        Assert.True(growth < MaxGrowth, $"managed memory grew by {growth / (1024 * 1024)} MiB");
        Assert.Empty(session.Received);
    }

    private static async Task<(WebSocketCloseStatus? Status, string? Reason)> DeclareHugeClipboardAsync(GatewayHost gateway, Guid id)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await using var viewer = await TestViewer.ConnectAsync(gateway.StreamUri(id), timeout.Token);
        await viewer.HandshakeAsync(timeout.Token);
        var header = new byte[8];
        header[0] = 6;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 10 * 1024 * 1024);
        try
        {
            // The header and the first bytes in frames of their own, as a slow paste arrives.
            await viewer.SendAsync(header, timeout.Token);
            await viewer.SendAsync(new byte[1024], timeout.Token);
        }
        catch (WebSocketException)
        {
            // Closed already on the header.
        }

        await viewer.WaitForCloseAsync(Patience);
        return (viewer.CloseStatus, viewer.CloseDescription);
    }
}
