using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Net.WebSockets;
using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Streaming;

public sealed class ProtocolAbuseTests
{
    private const int Streams = 1_000;
    private const int AtOnce = 16;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly byte[] KnownTypes = [0, 2, 3, 4, 5, 6, 150, 248, 250, 251, 255];

    [Fact]
    public async Task Garbage_and_truncated_streams_close_only_their_own_connection_while_a_good_viewer_keeps_receiving_updates()
    {
        // Random bytes could form a real SetDesktopSize; a test must not resize the shared desktop to absurd sizes.
        await using var xvnc = await XvncDisplay.StartAsync(null, "-AcceptSetDesktopSize=0");
        await using var gateway = await GatewayHost.StartAsync();
        var session = gateway.AddSession(xvnc.Endpoint, policy: new StreamPolicy(ClipboardIn: false));

        using var stopGoodViewer = new CancellationTokenSource();
        var finished = new StrongBox<int>();
        var goodViewer = WatchUpdatesAsync(gateway, session, finished, stopGoodViewer.Token);

        var random = new Random(20261127);
        var streams = Enumerable.Range(0, Streams).Select(_ => Abuse.Next(random)).ToList();
        using var gate = new SemaphoreSlim(AtOnce);
        var outcomes = await Task.WhenAll(streams.Select(async abuse =>
        {
            await gate.WaitAsync();
            try
            {
                return await SendAbuseAsync(gateway, session, abuse);
            }
            finally
            {
                Interlocked.Increment(ref finished.Value);
                gate.Release();
            }
        }));

        await stopGoodViewer.CancelAsync();
        var (updates, failure) = await goodViewer;

        Assert.Null(failure);
        Assert.All(outcomes, outcome => Assert.True(outcome.Closed, $"{outcome.Abuse} stayed open"));
        Assert.All(
            outcomes.Where(o => o.Abuse.Malformed),
            outcome => Assert.Equal(WebSocketCloseStatus.ProtocolError, outcome.Status));

        // Kept receiving, not merely survived: updates arrived in every quarter of the abuse, counted in streams finished
        // rather than seconds (how long the gaps are is a performance figure, for the bench).
        var quarters = updates.Select(finishedThen => finishedThen * 4 / Streams).Where(q => q < 4).Distinct().Order().ToArray();
        Assert.Equal([0, 1, 2, 3], quarters);
    }

    private static async Task<(bool Closed, WebSocketCloseStatus? Status, Abuse Abuse)> SendAbuseAsync(GatewayHost gateway, Guid session, Abuse abuse)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await using var viewer = await TestViewer.ConnectAsync(gateway.StreamUri(session), timeout.Token);
        await viewer.HandshakeAsync(timeout.Token);
        try
        {
            await viewer.SendAsync(abuse.Bytes, timeout.Token);
        }
        catch (WebSocketException)
        {
            // The gateway may already have closed on the first bad byte.
        }

        if (!abuse.Malformed)
        {
            await viewer.CloseOutputAsync();
        }

        return (await viewer.WaitForCloseAsync(Patience), viewer.CloseStatus, abuse);
    }

    /// <summary>For each update the good viewer received, how many abusive streams had finished by then.</summary>
    private static async Task<(List<int> Updates, Exception? Failure)> WatchUpdatesAsync(GatewayHost gateway, Guid session, StrongBox<int> finished, CancellationToken stop)
    {
        var updates = new List<int>();
        try
        {
            using var timeout = new CancellationTokenSource(Patience);
            await using var viewer = await TestViewer.ConnectAsync(gateway.StreamUri(session), timeout.Token);
            await viewer.HandshakeAsync(timeout.Token);
            await viewer.SetEncodingsAsync(timeout.Token, 0);
            while (!stop.IsCancellationRequested)
            {
                using var step = new CancellationTokenSource(Patience);
                await viewer.RequestUpdateAsync(false, 0, 0, 64, 64, step.Token);
                await viewer.ReadFramebufferUpdateAsync(step.Token);
                updates.Add(Volatile.Read(ref finished.Value));
            }

            return (updates, null);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or EndOfStreamException or InvalidOperationException)
        {
            return (updates, e);
        }
    }

    /// <summary>One abusive stream; <see cref="Malformed"/> ones must be refused by the gateway itself.</summary>
    private sealed record Abuse(string Kind, byte[] Bytes, bool Malformed)
    {
        public static Abuse Next(Random random) => random.Next(4) switch
        {
            0 => UnknownType(random),
            1 => Truncated(random),
            2 => BadLength(random),
            _ => new Abuse("random bytes", RandomBytes(random, random.Next(1, 64)), Malformed: false),
        };

        public override string ToString() => $"{Kind} [{Convert.ToHexString(Bytes.AsSpan(0, Math.Min(Bytes.Length, 16)))}]";

        private static Abuse UnknownType(Random random)
        {
            var bytes = RandomBytes(random, random.Next(1, 64));
            do
            {
                bytes[0] = (byte)random.Next(256);
            }
            while (KnownTypes.Contains(bytes[0]));

            return new Abuse("unknown type", bytes, Malformed: true);
        }

        private static Abuse Truncated(Random random)
        {
            byte[][] whole =
            [
                RfbMessages.SetEncodings(0, 7, 16, -223),
                RfbMessages.FramebufferUpdateRequest(true, 0, 0, 64, 64),
                RfbMessages.KeyEvent(true, 0xffe1),
                RfbMessages.PointerEvent(0, 3, 3),
                RfbMessages.ClientCutText("a paste that never ends"),
                RfbMessages.EnableContinuousUpdates(false, 64, 64),
                RfbMessages.ClientFence(0, [1, 2, 3]),
                RfbMessages.SetDesktopSize(640, 480, 1),
                RfbMessages.QemuExtendedKeyEvent(true, 0xffe1, 0x2a),
            ];
            var message = whole[random.Next(whole.Length)];
            return new Abuse("truncated", message[..random.Next(1, message.Length)], Malformed: false);
        }

        private static Abuse BadLength(Random random)
        {
            var bytes = random.Next(4) switch
            {
                0 => CutText(random.Next(RfbClientMessageFramer.DefaultMaxClipboardBytes + 1, int.MaxValue)),
                1 => CutText(random.Next(int.MinValue, -RfbClientMessageFramer.DefaultMaxClipboardBytes - 1)),
                2 => RfbMessages.ClientFence(1, RandomBytes(random, random.Next(65, 256))),
                _ => [255, (byte)random.Next(1, 256), .. RandomBytes(random, 10)],
            };
            return new Abuse("bad length", bytes, Malformed: true);
        }

        private static byte[] CutText(int declared)
        {
            var bytes = new byte[8];
            bytes[0] = 6;
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), declared);
            return bytes;
        }

        private static byte[] RandomBytes(Random random, int count)
        {
            var bytes = new byte[count];
            random.NextBytes(bytes);
            return bytes;
        }
    }
}
