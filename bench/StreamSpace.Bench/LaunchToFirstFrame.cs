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
        List<double> started, firstFrame;
        List<double>? containerStarted = null, containerFrame = null;
        try
        {
            // One warm-up launch each: the first pays for cold page caches of Xvnc, fonts and xterm.
            (started, firstFrame) = await MeasureAsync(runtime, i => Spec(250_900 + i), Launches);
            if (services.GetRequiredService<Infrastructure.Runtimes.Containers.ContainerEngine>().IsConfigured)
            {
                (containerStarted, containerFrame) = await MeasureAsync(runtime, i => ContainerSpec(260_900 + i), Launches);
            }
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }

        var p50 = Percentile(firstFrame, 0.50);
        Console.WriteLine($"Launch to first frame: xterm in a sandbox and in a container (Podman/Docker, {ContainerImage}), {Launches} launches each after one warm-up ({Environment.ProcessorCount} cores, .NET {Environment.Version})");
        Console.WriteLine();
        Console.WriteLine("| measured | p50 ms | p95 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(Row("sandbox up (RFB banner + settle)", started));
        Console.WriteLine(Row("sandbox: first frame with terminal pixels", firstFrame));
        if (containerStarted is not null && containerFrame is not null)
        {
            Console.WriteLine(Row("container up (created, started, RFB banner on its port)", containerStarted));
            Console.WriteLine(Row("container: first frame with terminal pixels", containerFrame));
        }
        else
        {
            Console.WriteLine("| container | no engine: set CONTAINER_HOST and build the image with scripts/test-images.sh | | |");
        }

        Console.WriteLine();
        Console.WriteLine($"target: sandbox first frame p50 <= {Target.TotalMilliseconds:0} ms: {(p50 <= Target.TotalMilliseconds ? "PASS" : "MISS")} ({p50:0} ms)");
        Console.WriteLine("Not included: the portal's POST and the job pick-up (Hangfire polls its queue every 500 ms), and the browser's");
        Console.WriteLine("WebSocket connect through the gateway (about a millisecond, see the gateway table). The container's image is local");
        Console.WriteLine("(no pull): a first launch of a catalog image adds its download.");
        return 0;
    }

    private const string ContainerImage = "localhost/streamspace-test-rfb:1";

    private static async Task<(List<double> Started, List<double> FirstFrame)> MeasureAsync(ISessionRuntime runtime, Func<int, SessionSpec> spec, int launches)
    {
        var started = new List<double>();
        var firstFrame = new List<double>();
        for (var i = -1; i < launches; i++)
        {
            var session = spec(Math.Max(0, i));
            var clock = Stopwatch.StartNew();
            var endpoint = await runtime.EnsureStartedAsync(session, new Progress<string>(), CancellationToken.None);
            var ready = clock.Elapsed;
            await WaitForTerminalPixelsAsync(endpoint.Address);
            var frame = clock.Elapsed;
            await runtime.TerminateAsync(session.Address, CancellationToken.None);
            if (i >= 0)
            {
                started.Add(ready.TotalMilliseconds);
                firstFrame.Add(frame.TotalMilliseconds);
            }
        }

        return (started, firstFrame);
    }

    private static SessionSpec ContainerSpec(int uid) => new(
        Guid.NewGuid(), Guid.NewGuid(), "bench", Guid.NewGuid(), uid, "test-rfb", "Terminal", ContainerImage, null,
        StreamProtocol.Rfb, 5900, 256L << 20, 250, [], new Dictionary<string, string>(), ScreenSize.Default,
        ClipboardIn: true, ClipboardOut: true, UseVncAuth: false)
    {
        Runtime = SessionRuntimeKind.Container,
    };

    private static SessionSpec Spec(int uid) => new(
        Guid.NewGuid(), Guid.NewGuid(), "bench", Guid.NewGuid(), uid, "xterm", "Terminal", "local/xterm", "xterm -fa Monospace -fs 12",
        StreamProtocol.Rfb, 5900, 256L << 20, 250, [], new Dictionary<string, string>(), ScreenSize.Default,
        ClipboardIn: true, ClipboardOut: true, UseVncAuth: false);

    /// <summary>RFB 3.8 with security None, raw encoding; reads updates until one carries a non-black pixel.</summary>
    private static async Task WaitForTerminalPixelsAsync(string address)
    {
        using var socket = address.StartsWith("unix:", StringComparison.Ordinal)
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (address.StartsWith("unix:", StringComparison.Ordinal))
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(address["unix:".Length..]));
        }
        else
        {
            var hostPort = address["tcp:".Length..];
            var colon = hostPort.LastIndexOf(':');
            await socket.ConnectAsync(hostPort[..colon], int.Parse(hostPort[(colon + 1)..], CultureInfo.InvariantCulture));
        }

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
