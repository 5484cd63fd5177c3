using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Observability;

namespace StreamSpace.Infrastructure.Streaming;

/// <summary>
/// Relays one viewer's WebSocket to a session's VNC server: the gateway authenticates to the session itself, offers
/// the viewer security None, then copies server bytes through untouched and frames every client message.
/// </summary>
public sealed class SessionGateway(
    InputActivity activity,
    AdminWatchers watchers,
    TimeProvider time,
    IOptions<StreamGatewayOptions> options,
    StreamSpaceMetrics metrics,
    ILogger<SessionGateway> logger)
{
    private const int SmallServerRead = 16 * 1024;
    private const int LargeServerRead = 256 * 1024;
    private const int SmallReadsBeforeShrinking = 16;
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    private readonly StreamGatewayOptions _settings = options.Value;
    private readonly SessionHandshakeGate _handshakes = new();

    /// <summary>
    /// Streams the session to the viewer until either side closes or <paramref name="cancellationToken"/> fires, then
    /// closes both. Failures are logged here (once, with the session id) and shown to the viewer as a close status.
    /// </summary>
    /// <param name="viewer">The accepted WebSocket of the browser; noVNC speaks plain RFB in its binary frames.</param>
    /// <param name="endpoint">The session's <c>unix:</c> or <c>tcp:</c> RFB endpoint.</param>
    /// <param name="vncPassword">The session's VNC password, or null when it uses security None; never sent to the viewer.</param>
    public async Task RelayAsync(
        WebSocket viewer,
        SessionEndpoint endpoint,
        string? vncPassword,
        StreamPolicy policy,
        Guid sessionId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(policy);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["SessionId"] = sessionId });
        using var channel = new ViewerChannel(viewer);

        // The session first: a dead or refusing session fails fast, before the viewer sees an RFB banner.
        RfbUpstream upstream;
        using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            handshake.CancelAfter(_settings.HandshakeTimeout);
            try
            {
                upstream = await _handshakes.RunAsync(
                    endpoint.Address, token => RfbUpstream.ConnectAsync(endpoint, vncPassword, token), handshake.Token);
            }
            catch (Exception e) when (IsStreamFailure(e))
            {
                logger.LogWarning("Session {SessionId} did not accept the gateway: {Reason}", sessionId, Describe(e, cancellationToken));
                await CloseAsync(channel, WebSocketCloseStatus.InternalServerError, "The session is not reachable.");
                return;
            }
        }

        await using (upstream)
        {
            byte[] serverInit;
            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                handshake.CancelAfter(_settings.HandshakeTimeout);
                try
                {
                    await channel.HandshakeAsync(handshake.Token);
                    serverInit = await upstream.InitialiseAsync(handshake.Token);
                    await channel.SendAsync(serverInit, handshake.Token);
                }
                catch (Exception e) when (IsStreamFailure(e))
                {
                    logger.LogInformation("Viewer of session {SessionId} failed the RFB handshake: {Reason}", sessionId, Describe(e, cancellationToken));
                    await CloseAsync(channel, WebSocketCloseStatus.ProtocolError, "RFB handshake failed.");
                    return;
                }
            }

            // A watching admin is not the member: their connection neither counts as a viewer nor keeps the session awake.
            if (policy.ViewOnly)
            {
                watchers.Enter(sessionId);
            }
            else
            {
                activity.ViewerConnected(sessionId, time.GetUtcNow());
            }

            using var connected = metrics.GatewayConnected();
            try
            {
                // Only a tier that forbids clipboard-out pays for reading the session's messages; the others get its bytes untouched.
                var clipboardOut = policy.ClipboardOut ? null : new RfbServerMessageFilter(RfbPixelFormat.Read(serverInit.AsSpan(4)));
                await PumpAsync(channel, upstream, policy, clipboardOut, sessionId, cancellationToken);
            }
            finally
            {
                if (policy.ViewOnly)
                {
                    watchers.Leave(sessionId);
                }
                else
                {
                    activity.ViewerDisconnected(sessionId, time.GetUtcNow());
                }
            }
        }
    }

    private async Task PumpAsync(
        ViewerChannel channel, RfbUpstream upstream, StreamPolicy policy, RfbServerMessageFilter? clipboardOut, Guid sessionId, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var toViewer = PumpToViewerAsync(upstream, channel, clipboardOut, stop.Token);
        var toSession = PumpToSessionAsync(channel, upstream, policy, clipboardOut, sessionId, stop.Token);

        if (await Task.WhenAny(toViewer, toSession) == toSession)
        {
            // Ending the session side first means no frame is being sent when the viewer's close frame goes out.
            upstream.Shutdown();
            await WaitOrStopAsync(toViewer, stop);
            var failure = await toSession;
            switch (failure)
            {
                case null:
                    logger.LogInformation("Viewer closed the stream of session {SessionId}", sessionId);
                    await CloseAsync(channel, WebSocketCloseStatus.NormalClosure, "Closed.");
                    break;
                case RfbProtocolException protocol:
                    logger.LogWarning("Viewer of session {SessionId} broke the RFB protocol: {Reason}", sessionId, protocol.Message);
                    await CloseAsync(channel, WebSocketCloseStatus.ProtocolError, protocol.Message);
                    break;
                default:
                    LogFailure("viewer", failure, sessionId, cancellationToken);
                    break;
            }

            return;
        }

        var sessionFailure = await toViewer;
        if (sessionFailure is RfbProtocolException broken)
        {
            logger.LogWarning("Session {SessionId} broke the RFB protocol: {Reason}", sessionId, broken.Message);
            await CloseAsync(channel, WebSocketCloseStatus.ProtocolError, broken.Message);
            await WaitOrStopAsync(toSession, stop);
            return;
        }

        if (sessionFailure is null)
        {
            logger.LogInformation("Session {SessionId} closed the stream", sessionId);
        }
        else
        {
            LogFailure("session", sessionFailure, sessionId, cancellationToken);
        }

        await CloseAsync(channel, WebSocketCloseStatus.NormalClosure, "The session closed the stream.");
        await WaitOrStopAsync(toSession, stop);
    }

    /// <summary>Gives a pump a moment to end by itself (a viewer that stopped reading would block it), then cancels it.</summary>
    private async Task WaitOrStopAsync(Task<Exception?> pump, CancellationTokenSource stop)
    {
        try
        {
            await pump.WaitAsync(CloseGrace, time, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            await stop.CancelAsync();
            await pump;
        }
    }

    /// <summary>
    /// Server bytes go to the viewer as they come, one binary frame per read; noVNC reassembles messages itself. The read
    /// buffer grows when a read fills it, so a full-screen update costs few frames and syscalls, and shrinks again after
    /// a run of small reads, so the many viewers of quiet sessions hold little memory.
    /// </summary>
    private async Task<Exception?> PumpToViewerAsync(
        RfbUpstream upstream, ViewerChannel channel, RfbServerMessageFilter? clipboardOut, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(SmallServerRead);
        byte[] filtered = [];
        var smallReads = 0;
        try
        {
            while (true)
            {
                var read = await upstream.Stream.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    return null;
                }

                if (clipboardOut is null)
                {
                    await channel.SendAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                else
                {
                    filtered = ArrayPool<byte>.Shared.Rent(read + RfbServerMessageFilter.MaxHeld);
                    var kept = clipboardOut.Filter(buffer.AsSpan(0, read), filtered);
                    if (kept > 0)
                    {
                        await channel.SendAsync(filtered.AsMemory(0, kept), cancellationToken);
                    }

                    ArrayPool<byte>.Shared.Return(filtered);
                    filtered = [];
                }

                metrics.RelayedToViewer(read);
                smallReads = read < SmallServerRead ? smallReads + 1 : 0;
                var size = read == buffer.Length ? LargeServerRead : smallReads >= SmallReadsBeforeShrinking ? SmallServerRead : buffer.Length;
                if (size != buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(size);
                }
            }
        }
#pragma warning disable CA1031 // The pump reports how it ended; RelayAsync decides what to log and how to close.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (filtered.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(filtered);
            }
        }
    }

    /// <summary>Viewer bytes go through the framer; what it lets through from one frame is written to the session at once.</summary>
    private async Task<Exception?> PumpToSessionAsync(
        ViewerChannel channel, RfbUpstream upstream, StreamPolicy policy, RfbServerMessageFilter? clipboardOut, Guid sessionId,
        CancellationToken cancellationToken)
    {
        using var framer = new RfbClientMessageFramer(policy, _settings.MaxClipboardBytes);
        byte[] outgoing = [];
        try
        {
            while (true)
            {
                // Bytes sent right after ClientInit may already be buffered from the handshake.
                if (channel.Buffered.IsEmpty && !await channel.ReceiveAsync(cancellationToken))
                {
                    return null;
                }

                // Rented per frame and returned after the write, so a viewer that is not typing holds no outgoing buffer.
                outgoing = ArrayPool<byte>.Shared.Rent(channel.Buffered.Length);
                var count = Frame(framer, policy.ViewOnly, clipboardOut, channel.Buffered, ref outgoing, out var sawInput);
                channel.ConsumeAll();
                if (sawInput)
                {
                    activity.RecordInput(sessionId, time.GetUtcNow());
                }

                if (count > 0)
                {
                    await upstream.Stream.WriteAsync(outgoing.AsMemory(0, count), cancellationToken);
                    metrics.RelayedToSession(count);
                }

                ArrayPool<byte>.Shared.Return(outgoing);
                outgoing = [];
            }
        }
#pragma warning disable CA1031 // The pump reports how it ended; RelayAsync decides what to log and how to close.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e;
        }
        finally
        {
            if (outgoing.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(outgoing);
            }
        }
    }

    private static int Frame(
        RfbClientMessageFramer framer, bool viewOnly, RfbServerMessageFilter? clipboardOut, ReadOnlySpan<byte> chunk, ref byte[] outgoing, out bool sawInput)
    {
        var count = 0;
        sawInput = false;
        while (framer.TryRead(ref chunk, out var message))
        {
            // A watching admin's keys, pointer, clipboard, resizes and power requests never reach the session, nor count as activity.
            if (viewOnly && (message.IsInput || message.Type is RfbClientMessageType.ClientCutText or RfbClientMessageType.SetDesktopSize or RfbClientMessageType.Xvp))
            {
                continue;
            }

            if (message.Type == RfbClientMessageType.SetPixelFormat)
            {
                clipboardOut?.UsePixelFormat(RfbPixelFormat.Read(message.Bytes[4..]));
            }

            sawInput |= message.IsInput;
            if (!message.IsForwarded)
            {
                continue;
            }

            if (count + message.Bytes.Length > outgoing.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(count + message.Bytes.Length);
                outgoing.AsSpan(0, count).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(outgoing);
                outgoing = larger;
            }

            message.Bytes.CopyTo(outgoing.AsSpan(count));
            count += message.Bytes.Length;
        }

        return count;
    }

    private void LogFailure(string side, Exception failure, Guid sessionId, CancellationToken cancellationToken)
    {
        if (failure is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("Stream of session {SessionId} stopped: the request ended", sessionId);
        }
        else
        {
            logger.LogWarning("Stream of session {SessionId} failed on the {Side} side: {Reason}", sessionId, side, Describe(failure, cancellationToken));
        }
    }

    private static async Task CloseAsync(ViewerChannel channel, WebSocketCloseStatus status, string description)
    {
        if (channel.Socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(CloseGrace);
        try
        {
            // A close reason is at most 123 bytes on the wire.
            await channel.Socket.CloseOutputAsync(status, description.Length > 120 ? description[..120] : description, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The viewer is already gone; there is no one left to tell.
        }
    }

    private static bool IsStreamFailure(Exception e) =>
        e is RfbProtocolException or SocketException or IOException or WebSocketException or OperationCanceledException
            or ObjectDisposedException;

    private static string Describe(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => "the request ended",
        OperationCanceledException => "timed out",
        EndOfStreamException => "the peer closed the connection",
        _ => e.Message,
    };
}
