using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace StreamSpace.Bench;

/// <summary>
/// The <c>gateway</c> mode: our RFB gateway and websockify side by side in one run, each in its own process, relaying
/// to the same targets; prints one markdown table and the issue's targets. Options: <c>round-trip</c> measures only the
/// round trip (15 s, for trying a change); <c>inline</c> runs the gateway with socket and Kestrel continuations on the
/// socket event threads, an experiment the Web app does not make (see <see cref="ProxyUnderTest.StartGatewayAsync"/>).
/// </summary>
internal static class GatewayComparison
{
    private const int RoundTrips = 10_000;
    private const int Viewers = 200;

    private static readonly TimeSpan RoundTripWarmUp = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan BulkWarmUp = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan BulkDuration = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SteadyDuration = TimeSpan.FromSeconds(20);

    public static async Task<int> RunAsync(string[] arguments)
    {
        var roundTripOnly = arguments.Contains("round-trip");
        var inline = arguments.Contains("inline");
        Console.WriteLine(await DescribeMachineAsync());
        Console.WriteLine(inline
            ? "Gateway with inline socket scheduling (the inline experiment; the Web app runs without it)."
            : "Gateway as the Web app runs it: socket continuations on the thread pool.");
        Console.WriteLine();
        var directory = Directory.CreateTempSubdirectory("streamspace-bench-");
        var gateway = new ProxyResult("gateway");
        var websockify = new ProxyResult("websockify");
        using var abort = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        try
        {
            await using (var synthetic = SyntheticRfbServer.Start(Path.Combine(directory.FullName, "synthetic.sock")))
            await using (var gatewayProxy = await ProxyUnderTest.StartGatewayAsync(synthetic.SocketPath, inline))
            await using (var websockifyProxy = await ProxyUnderTest.StartWebsockifyAsync(synthetic.SocketPath))
            {
                foreach (var (proxy, result) in new[] { (gatewayProxy, gateway), (websockifyProxy, websockify) })
                {
                    await MeasureAsync(result, "round trip", async () =>
                        (result.RoundTripP50Microseconds, result.RoundTripP99Microseconds) =
                            await ProxyWorkloads.RoundTripAsync(proxy, RoundTripWarmUp, RoundTrips, abort.Token));
                }

                if (roundTripOnly)
                {
                    Console.WriteLine();
                    PrintTable(gateway, websockify);
                    return gateway.Failures.Count + websockify.Failures.Count == 0 ? 0 : 1;
                }

                foreach (var (proxy, result) in new[] { (gatewayProxy, gateway), (websockifyProxy, websockify) })
                {
                    await MeasureAsync(result, "server to client", async () =>
                        (result.DownloadMibPerSecond, result.DownloadCpuSecondsPerGib) =
                            await ProxyWorkloads.DownloadAsync(proxy, BulkWarmUp, BulkDuration, abort.Token));
                }

                foreach (var (proxy, result) in new[] { (gatewayProxy, gateway), (websockifyProxy, websockify) })
                {
                    await MeasureAsync(result, "client to server", async () =>
                        (result.UploadMibPerSecond, result.UploadCpuSecondsPerGib) =
                            await ProxyWorkloads.UploadAsync(proxy, BulkWarmUp, BulkDuration, abort.Token));
                }
            }

            // Fresh proxy processes, so the 200-viewer memory is not what the bulk transfers left behind.
            await using (var xvnc = await XvncTarget.StartAsync(directory.FullName))
            await using (var gatewayProxy = await ProxyUnderTest.StartGatewayAsync(xvnc.SocketPath, inline))
            await using (var websockifyProxy = await ProxyUnderTest.StartWebsockifyAsync(xvnc.SocketPath))
            {
                foreach (var (proxy, result) in new[] { (gatewayProxy, gateway), (websockifyProxy, websockify) })
                {
                    await MeasureAsync(result, $"{Viewers} viewers", () =>
                        ProxyWorkloads.SteadyViewersAsync(proxy, result, Viewers, SteadyDuration, abort.Token));
                }
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        Console.WriteLine();
        PrintTable(gateway, websockify);
        Console.WriteLine();
        PrintTargets(gateway, websockify);
        foreach (var failure in gateway.Failures.Select(f => "gateway: " + f).Concat(websockify.Failures.Select(f => "websockify: " + f)))
        {
            Console.WriteLine($"FAILED {failure}");
        }

        // A missed target is a finding to read, not a broken run; only a workload that failed fails the command.
        return gateway.Failures.Count + websockify.Failures.Count > 0 ? 1 : 0;
    }

    /// <summary>Runs one workload; a failure is recorded against the proxy and the rest of the run goes on.</summary>
    private static async Task MeasureAsync(ProxyResult result, string workload, Func<Task> measure)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await measure();
            Console.Error.WriteLine($"  {result.Name,-10} {workload,-17} {watch.Elapsed.TotalSeconds,5:F1} s");
        }
#pragma warning disable CA1031 // Any failure of one workload is reported in the table's footer; the others still run.
        catch (Exception e)
#pragma warning restore CA1031
        {
            result.Failures.Add($"{workload}: {e.GetType().Name}: {e.Message}");
            Console.Error.WriteLine($"  {result.Name,-10} {workload,-17} FAILED: {e.Message}");
        }
    }

    private static void PrintTable(ProxyResult gateway, ProxyResult websockify)
    {
        Console.WriteLine("| measured | gateway | websockify |");
        Console.WriteLine("|---|---:|---:|");
        Row("bulk server→client, MiB/s", r => r.DownloadMibPerSecond, "F0");
        Row("bulk client→server, MiB/s", r => r.UploadMibPerSecond, "F0");
        Row("64-byte round trip p50, µs", r => r.RoundTripP50Microseconds, "F0");
        Row("64-byte round trip p99, µs", r => r.RoundTripP99Microseconds, "F0");
        Row("proxy CPU s per GiB, server→client", r => r.DownloadCpuSecondsPerGib, "F2");
        Row("proxy CPU s per GiB, client→server", r => r.UploadCpuSecondsPerGib, "F2");
        Row($"{Viewers} viewers: connect to ServerInit p50, ms", r => r.ConnectP50Milliseconds, "F1");
        Row($"{Viewers} viewers: connect to ServerInit p99, ms", r => r.ConnectP99Milliseconds, "F1");
        Row($"{Viewers} viewers: max RSS of proxy tree, MiB", r => r.ViewersMaxRssMib, "F0");
        Row($"{Viewers} viewers: max PSS of proxy tree, MiB", r => r.ViewersMaxPssMib, "F0");
        Row($"{Viewers} viewers: proxy CPU s in {SteadyDuration.TotalSeconds:F0} s", r => r.ViewersCpuSeconds, "F1");
        Row($"{Viewers} viewers: frames/s per viewer", r => r.FramesPerSecondPerViewer, "F1");
        Row($"{Viewers} viewers: still streaming at the end", r => r.ViewersStreaming, "F0");

        void Row(string label, Func<ProxyResult, double> value, string format) =>
            Console.WriteLine($"| {label} | {Format(value(gateway), format)} | {Format(value(websockify), format)} |");
    }

    /// <summary>The issue's targets, each PASS or MISS.</summary>
    private static void PrintTargets(ProxyResult gateway, ProxyResult websockify)
    {
        Target("server→client throughput ≥ websockify's", gateway.DownloadMibPerSecond >= websockify.DownloadMibPerSecond);
        Target("client→server throughput ≥ websockify's", gateway.UploadMibPerSecond >= websockify.UploadMibPerSecond);
        Target("round trip p50 ≤ websockify's", gateway.RoundTripP50Microseconds <= websockify.RoundTripP50Microseconds);
        Target("round trip p99 ≤ websockify's", gateway.RoundTripP99Microseconds <= websockify.RoundTripP99Microseconds);
        Target("CPU s/GiB server→client ≤ websockify's", gateway.DownloadCpuSecondsPerGib <= websockify.DownloadCpuSecondsPerGib);
        Target("CPU s/GiB client→server ≤ websockify's", gateway.UploadCpuSecondsPerGib <= websockify.UploadCpuSecondsPerGib);
        Target($"{Viewers}-viewer memory (RSS) ≤ ¼ of websockify's", gateway.ViewersMaxRssMib <= websockify.ViewersMaxRssMib / 4);
        Target($"{Viewers}-viewer memory (PSS) ≤ ¼ of websockify's", gateway.ViewersMaxPssMib <= websockify.ViewersMaxPssMib / 4);

        static void Target(string name, bool met) => Console.WriteLine($"- {(met ? "PASS" : "MISS")} {name}");
    }

    private static string Format(double value, string format) =>
        double.IsNaN(value) ? "—" : value.ToString(format, CultureInfo.InvariantCulture);

    private static async Task<string> DescribeMachineAsync()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))
            ?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var websockify = await RunAsync("/usr/bin/dpkg-query", "-W", "-f=${Version}", "websockify");
        var python = await RunAsync("/usr/bin/python3", "--version");
        var xvnc = (await RunAsync("/usr/bin/Xvnc", "-version")).Split('\n').FirstOrDefault(line => line.Contains("TigerVNC", StringComparison.Ordinal))?.Trim();
        return $"Machine: {cpu}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}; "
            + $"{RuntimeInformation.FrameworkDescription} ({(GCSettings.IsServerGC ? "Server" : "Workstation")} GC); "
            + $"websockify {websockify} on {python}; {xvnc ?? "Xvnc"}";
    }

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return ((await output) + (await error)).Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
