using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace StreamSpace.Bench;

/// <summary>
/// A WebSocket-to-RFB proxy running as a child process of the bench, listening on 127.0.0.1 and relaying to one unix
/// socket, so its CPU and memory can be read from <c>/proc</c> apart from the load generator's.
/// </summary>
internal sealed class ProxyUnderTest : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly bool _stopsOnEndOfInput;
    private readonly Queue<string> _output = new();

    private ProxyUnderTest(string name, Process process, int port, string path, bool stopsOnEndOfInput)
    {
        Name = name;
        _process = process;
        _stopsOnEndOfInput = stopsOnEndOfInput;
        Uri = new Uri(string.Create(CultureInfo.InvariantCulture, $"ws://127.0.0.1:{port}{path}"));
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public Uri Uri { get; }

    public int Pid => _process.Id;

    /// <summary>.NET runs socket continuations on its event threads when this is <c>1</c> in the environment.</summary>
    public const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Our gateway: this executable again, in its hidden <c>serve-gateway</c> mode. <paramref name="inline"/>: the experiment
    /// with socket and Kestrel continuations on the event threads (docs/performance.md), which the Web app does not make.
    /// </summary>
    public static Task<ProxyUnderTest> StartGatewayAsync(string unixSocket, bool inline)
    {
        var port = FreePort();
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The bench cannot find its own executable.");
        var start = new ProcessStartInfo(self);
        if (System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ProxyUnderTest).Assembly.Location);
        }

        start.ArgumentList.Add("serve-gateway");
        start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(unixSocket);
        start.Environment[InlineCompletions] = inline ? "1" : "0";

        return StartAsync("gateway", start, port, GatewayServer.Path, stopsOnEndOfInput: true);
    }

    /// <summary>Debian's websockify, the proxy noVNC ships with: one forked process per connection.</summary>
    public static Task<ProxyUnderTest> StartWebsockifyAsync(string unixSocket)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("/usr/bin/websockify");
        start.ArgumentList.Add("--unix-target=" + unixSocket);
        start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}"));
        return StartAsync("websockify", start, port, "/", stopsOnEndOfInput: false);
    }

    public double CpuSeconds() => ProcessTree.CpuSeconds(Pid);

    public (long Rss, long Pss) Memory() => ProcessTree.Memory(Pid);

    /// <summary>Waits until every per-connection process has ended and been reaped, so its CPU time is in the parent's account.</summary>
    public async Task WaitForConnectionsToEndAsync(TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (ProcessTree.DescendantCount(Pid) > 0 && deadline.Elapsed < within)
        {
            await Task.Delay(50);
        }
    }

    public override string ToString()
    {
        lock (_output)
        {
            return $"{Name} (pid {Pid}): " + string.Join('\n', _output);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            if (_stopsOnEndOfInput)
            {
                _process.StandardInput.Close();
            }
            else
            {
                using var term = Process.Start("/bin/kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]);
                await term.WaitForExitAsync();
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private static async Task<ProxyUnderTest> StartAsync(string name, ProcessStartInfo start, int port, string path, bool stopsOnEndOfInput)
    {
        start.UseShellExecute = false;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var proxy = new ProxyUnderTest(name, Process.Start(start)!, port, path, stopsOnEndOfInput);
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartTimeout && !proxy._process.HasExited)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return proxy;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        var failure = new InvalidOperationException($"{name} did not start listening on port {port}: {proxy}");
        await proxy.DisposeAsync();
        throw failure;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > 20)
            {
                _output.Dequeue();
            }
        }
    }
}
