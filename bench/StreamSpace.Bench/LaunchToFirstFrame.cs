using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Runtimes.Local;

namespace StreamSpace.Bench;

/// <summary>
/// <c>launch</c>: from asking the local runtime for an xterm session to the first framebuffer update that carries the
/// terminal's pixels, ten times; p50 and p95. What it leaves out of a click in the portal is printed with the table.
/// </summary>
internal static class LaunchToFirstFrame
{
    private const int Launches = 10;
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(1.5);

    public static async Task<int> RunAsync(string[] arguments)
    {
        _ = arguments;
        var dataDirectory = Path.Combine("/tmp", "ss-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Runtime:Local:DataDirectory"] = dataDirectory })
            .Build();
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddLocalSessionRuntime()
            .BuildServiceProvider();
        var runtime = services.GetRequiredService<ISessionRuntime>();
        var started = new List<double>();
        var firstFrame = new List<double>();
        try
        {
            // One warm-up launch: the first one pays for cold page caches of Xvnc, fonts and xterm.
            for (var i = -1; i < Launches; i++)
            {
                var spec = Spec(250_900 + Math.Max(0, i));
                var clock = Stopwatch.StartNew();
                var endpoint = await runtime.EnsureStartedAsync(spec, new Progress<string>(), CancellationToken.None);
                var ready = clock.Elapsed;
                await WaitForTerminalPixelsAsync(endpoint.Address["unix:".Length..]);
                var frame = clock.Elapsed;
                await runtime.TerminateAsync(spec.Address, CancellationToken.None);
                if (i >= 0)
                {
                    started.Add(ready.TotalMilliseconds);
                    firstFrame.Add(frame.TotalMilliseconds);
                }
            }
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }

        var p50 = Percentile(firstFrame, 0.50);
        Console.WriteLine($"Launch to first frame: xterm on the local runtime, {Launches} launches after one warm-up ({Environment.ProcessorCount} cores, .NET {Environment.Version})");
        Console.WriteLine();
        Console.WriteLine("| measured | p50 ms | p95 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(Row("sandbox up (RFB banner + settle)", started));
        Console.WriteLine(Row("first frame with terminal pixels", firstFrame));
        Console.WriteLine();
        Console.WriteLine($"target: first frame p50 <= {Target.TotalMilliseconds:0} ms: {(p50 <= Target.TotalMilliseconds ? "PASS" : "MISS")} ({p50:0} ms)");
        Console.WriteLine("Not included: the portal's POST and the job pick-up (Hangfire polls its queue every 500 ms), and the browser's");
        Console.WriteLine("WebSocket connect through the gateway (about a millisecond, see the gateway table).");
        return 0;
    }

    private static SessionSpec Spec(int uid) => new(
        Guid.NewGuid(), Guid.NewGuid(), "bench", Guid.NewGuid(), uid, "xterm", "Terminal", "local/xterm", "xterm -fa Monospace -fs 12",
        StreamProtocol.Rfb, 5900, 256L << 20, 250, [], new Dictionary<string, string>(), ScreenSize.Default,
        ClipboardIn: true, ClipboardOut: true, UseVncAuth: false);

    /// <summary>RFB 3.8 with security None, raw encoding; reads updates until one carries a non-black pixel.</summary>
    private static async Task WaitForTerminalPixelsAsync(string socketPath)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var version = new byte[12];
        await stream.ReadExactlyAsync(version);
        await stream.WriteAsync("RFB 003.008\n"u8.ToArray());
        var count = new byte[1];
        await stream.ReadExactlyAsync(count);
        await stream.ReadExactlyAsync(new byte[count[0]]);
        await stream.WriteAsync(new byte[] { 1 });
        await stream.ReadExactlyAsync(new byte[4]);
        await stream.WriteAsync(new byte[] { 1 });
        var init = new byte[24];
        await stream.ReadExactlyAsync(init);
        await stream.ReadExactlyAsync(new byte[BinaryPrimitives.ReadInt32BigEndian(init.AsSpan(20))]);
        var width = BinaryPrimitives.ReadUInt16BigEndian(init);
        var height = BinaryPrimitives.ReadUInt16BigEndian(init.AsSpan(2));
        var bytesPerPixel = init[4] / 8;
        await stream.WriteAsync(BenchMessages.SetEncodings(0));

        var deadline = Stopwatch.StartNew();
        var incremental = false;
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            await stream.WriteAsync(BenchMessages.FramebufferUpdateRequest(incremental, width, height));
            incremental = true;
            var header = new byte[4];
            await stream.ReadExactlyAsync(header);
            if (header[0] != 0)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Unexpected server message {header[0]}."));
            }

            var lit = false;
            for (var r = 0; r < BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)); r++)
            {
                var rectangle = new byte[12];
                await stream.ReadExactlyAsync(rectangle);
                var pixels = new byte[BinaryPrimitives.ReadUInt16BigEndian(rectangle.AsSpan(4)) * BinaryPrimitives.ReadUInt16BigEndian(rectangle.AsSpan(6)) * bytesPerPixel];
                await stream.ReadExactlyAsync(pixels);
                lit |= pixels.AsSpan().IndexOfAnyExcept((byte)0) >= 0;
            }

            if (lit)
            {
                return;
            }
        }

        throw new TimeoutException("The terminal never drew anything.");
    }

    private static string Row(string name, List<double> samples) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {Percentile(samples, 0.5):0} | {Percentile(samples, 0.95):0} | {samples.Max():0} |");

    private static double Percentile(List<double> samples, double p)
    {
        var sorted = samples.Order().ToList();
        return sorted[(int)Math.Ceiling(p * sorted.Count) - 1];
    }
}
