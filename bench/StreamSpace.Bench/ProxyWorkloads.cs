using System.Diagnostics;

namespace StreamSpace.Bench;

/// <summary>The measurements, each run the same way against whichever proxy it is given.</summary>
internal static class ProxyWorkloads
{
    private const double Mib = 1024 * 1024;
    private const double Gib = 1024 * Mib;

    private static readonly TimeSpan ConnectionsEnd = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Sequential 64-byte round trips (eight KeyEvents out, a 64-byte ServerCutText back) after a warm-up long enough
    /// for .NET's tiered JIT to settle; returns p50 and p99 in µs.
    /// </summary>
    public static async Task<(double P50, double P99)> RoundTripAsync(
        ProxyUnderTest proxy, TimeSpan warmUp, int count, CancellationToken cancellationToken)
    {
        var ping = BenchMessages.Ping();
        var pong = new byte[BenchMessages.RoundTripSize];
        var samples = new double[count];
        await using (var viewer = await BenchViewer.ConnectAsync(proxy.Uri, 64 * 1024, cancellationToken))
        {
            await viewer.SendAsync(BenchMessages.SelectWorkload(SyntheticRfbServer.RoundTrip), cancellationToken);
            var warming = Stopwatch.StartNew();
            while (warming.Elapsed < warmUp)
            {
                await viewer.SendAsync(ping, cancellationToken);
                await viewer.ReadExactlyAsync(pong, cancellationToken);
            }

            for (var i = 0; i < count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await viewer.SendAsync(ping, cancellationToken);
                await viewer.ReadExactlyAsync(pong, cancellationToken);
                samples[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            }
        }

        await proxy.WaitForConnectionsToEndAsync(ConnectionsEnd);
        Array.Sort(samples);
        return (Percentile(samples, 0.50), Percentile(samples, 0.99));
    }

    /// <summary>Raw full-screen FramebufferUpdates as fast as they go, server to viewer; returns MiB/s and proxy CPU s per GiB.</summary>
    public static async Task<(double MibPerSecond, double CpuPerGib)> DownloadAsync(
        ProxyUnderTest proxy, TimeSpan warmUp, TimeSpan duration, CancellationToken cancellationToken)
    {
        long bytes = 0;
        double cpu;
        TimeSpan elapsed;
        await using (var viewer = await BenchViewer.ConnectAsync(proxy.Uri, 1024 * 1024, cancellationToken))
        {
            await viewer.SendAsync(BenchMessages.SelectWorkload(SyntheticRfbServer.Download), cancellationToken);
            var warming = Stopwatch.StartNew();
            while (warming.Elapsed < warmUp)
            {
                await viewer.DiscardAsync(cancellationToken);
            }

            var cpuBefore = proxy.CpuSeconds();
            var measuring = Stopwatch.StartNew();
            while (measuring.Elapsed < duration)
            {
                bytes += await viewer.DiscardAsync(cancellationToken);
            }

            elapsed = measuring.Elapsed;
            cpu = proxy.CpuSeconds() - cpuBefore;
        }

        await proxy.WaitForConnectionsToEndAsync(ConnectionsEnd);
        return (bytes / Mib / elapsed.TotalSeconds, cpu / (bytes / Gib));
    }

    /// <summary>
    /// A flood of PointerEvents and FramebufferUpdateRequests in 64 KiB WebSocket messages, viewer to server; timed until
    /// the server confirms the last byte. Returns MiB/s and proxy CPU s per GiB.
    /// </summary>
    public static async Task<(double MibPerSecond, double CpuPerGib)> UploadAsync(
        ProxyUnderTest proxy, TimeSpan warmUp, TimeSpan duration, CancellationToken cancellationToken)
    {
        await UploadOnceAsync(proxy, warmUp, cancellationToken);
        var cpuBefore = proxy.CpuSeconds();
        var (bytes, elapsed) = await UploadOnceAsync(proxy, duration, cancellationToken);
        var cpu = proxy.CpuSeconds() - cpuBefore;
        return (bytes / Mib / elapsed.TotalSeconds, cpu / (bytes / Gib));
    }

    /// <summary>
    /// <paramref name="count"/> viewers connect one after another (as people open tabs; it also keeps TigerVNC from
    /// black-listing a burst of half-open connections), then all stream at once, each asking for the next update as
    /// soon as one arrived. Over <paramref name="duration"/> the proxy tree's memory is sampled every second and its
    /// CPU time taken.
    /// </summary>
    public static async Task SteadyViewersAsync(ProxyUnderTest proxy, ProxyResult result, int count, TimeSpan duration, CancellationToken cancellationToken)
    {
        var viewers = new List<BenchViewer>(count);
        var streams = new List<Task>(count);
        var frames = new long[count];
        var connectMilliseconds = new List<double>(count);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var connecting = Stopwatch.StartNew();
                var viewer = await BenchViewer.ConnectAsync(proxy.Uri, 64 * 1024, cancellationToken);
                connectMilliseconds.Add(connecting.Elapsed.TotalMilliseconds);
                viewers.Add(viewer);
            }

            for (var i = 0; i < count; i++)
            {
                streams.Add(StreamAsync(viewers[i], frames, i, stop.Token));
            }

            // Every viewer's first update is the whole screen; let those pass before measuring the steady state.
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var framesBefore = frames.Sum();
            var cpuBefore = proxy.CpuSeconds();
            var measuring = Stopwatch.StartNew();
            long maxRss = 0;
            long maxPss = 0;
            while (measuring.Elapsed < duration)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                var (rss, pss) = proxy.Memory();
                maxRss = Math.Max(maxRss, rss);
                maxPss = Math.Max(maxPss, pss);
            }

            var elapsed = measuring.Elapsed.TotalSeconds;
            result.ViewersCpuSeconds = (proxy.CpuSeconds() - cpuBefore) * duration.TotalSeconds / elapsed;
            result.FramesPerSecondPerViewer = (frames.Sum() - framesBefore) / elapsed / count;
            result.ViewersMaxRssMib = maxRss / Mib;
            result.ViewersMaxPssMib = maxPss / Mib;
            result.ViewersStreaming = streams.Count(stream => !stream.IsCompleted);
            connectMilliseconds.Sort();
            result.ConnectP50Milliseconds = Percentile(connectMilliseconds, 0.50);
            result.ConnectP99Milliseconds = Percentile(connectMilliseconds, 0.99);
            foreach (var failed in streams.Where(stream => stream.IsFaulted).Take(3))
            {
                result.Failures.Add($"viewer failed: {failed.Exception!.InnerException!.Message}");
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(streams.Select(async stream =>
            {
                try
                {
                    await stream;
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or InvalidDataException
                                              or System.Net.WebSockets.WebSocketException)
                {
                    // Counted above; a viewer stopped on purpose ends with a cancellation.
                }
            }));
            await Task.WhenAll(viewers.Select(viewer => viewer.DisposeAsync().AsTask()));
            await proxy.WaitForConnectionsToEndAsync(ConnectionsEnd);
        }
    }

    private static async Task<(long Bytes, TimeSpan Elapsed)> UploadOnceAsync(ProxyUnderTest proxy, TimeSpan duration, CancellationToken cancellationToken)
    {
        var flood = BenchMessages.InputFlood(64 * 1024);
        var end = BenchMessages.ClientCutText("bench:end");
        var header = new byte[8];
        long confirmed;
        TimeSpan elapsed;
        await using (var viewer = await BenchViewer.ConnectAsync(proxy.Uri, 64 * 1024, cancellationToken))
        {
            await viewer.SendAsync(BenchMessages.SelectWorkload(SyntheticRfbServer.Upload), cancellationToken);
            var sending = Stopwatch.StartNew();
            while (sending.Elapsed < duration)
            {
                await viewer.SendAsync(flood, cancellationToken);
            }

            await viewer.SendAsync(end, cancellationToken);
            await viewer.ReadExactlyAsync(header, cancellationToken);
            var count = new byte[System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4))];
            await viewer.ReadExactlyAsync(count, cancellationToken);
            elapsed = sending.Elapsed;
            confirmed = long.Parse(System.Text.Encoding.ASCII.GetString(count), System.Globalization.CultureInfo.InvariantCulture);
        }

        await proxy.WaitForConnectionsToEndAsync(ConnectionsEnd);
        return (confirmed, elapsed);
    }

    private static async Task StreamAsync(BenchViewer viewer, long[] frames, int index, CancellationToken cancellationToken)
    {
        // Return to the caller at once, so all viewers start together.
        await Task.Yield();
        await viewer.SendAsync(BenchMessages.SetEncodings(BenchViewer.PreferredEncodings), cancellationToken);
        await viewer.SendAsync(BenchMessages.FramebufferUpdateRequest(incremental: false, viewer.Width, viewer.Height), cancellationToken);
        var incremental = BenchMessages.FramebufferUpdateRequest(incremental: true, viewer.Width, viewer.Height);
        while (true)
        {
            await viewer.ReadFramebufferUpdateAsync(cancellationToken);
            Interlocked.Increment(ref frames[index]);
            await viewer.SendAsync(incremental, cancellationToken);
        }
    }

    private static double Percentile(IReadOnlyList<double> sorted, double fraction) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(fraction * sorted.Count) - 1)];
}
