using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace StreamSpace.Bench;

/// <summary>
/// A real Xvnc on a unix socket with security None and a terminal running <c>top -d 0.1</c>, so the screen changes ten
/// times a second and every viewer keeps receiving updates, as a session in use does.
/// </summary>
internal sealed class XvncTarget : IAsyncDisposable
{
    private readonly Process _xvnc;
    private readonly Process? _terminal;

    private XvncTarget(Process xvnc, Process? terminal, int display, string socketPath)
    {
        _xvnc = xvnc;
        _terminal = terminal;
        Display = display;
        SocketPath = socketPath;
    }

    public int Display { get; }

    public string SocketPath { get; }

    public static async Task<XvncTarget> StartAsync(string directory)
    {
        var socketPath = Path.Combine(directory, "vnc.sock");
        var display = 700 + (Environment.ProcessId % 200);
        while (File.Exists($"/tmp/.X{display}-lock") || File.Exists($"/tmp/.X11-unix/X{display}"))
        {
            display++;
        }

        var xvnc = Start("/usr/bin/Xvnc", display,
            $":{display}", "-rfbport", "-1", "-rfbunixpath", socketPath, "-SecurityTypes", "None",
            "-geometry", "1280x800", "-depth", "24", "-nolisten", "tcp");
        if (!await WaitForBannerAsync(socketPath, xvnc, TimeSpan.FromSeconds(15)))
        {
            xvnc.Kill();
            xvnc.Dispose();
            throw new InvalidOperationException($"Xvnc :{display} did not come up.");
        }

        var terminal = Start("/usr/bin/xterm", display, "-geometry", "80x24+0+0", "-e", "top", "-d", "0.1");
        // The terminal needs a moment to map its window; until then the screen is still.
        await Task.Delay(TimeSpan.FromSeconds(1));
        return new XvncTarget(xvnc, terminal.HasExited ? null : terminal, display, socketPath);
    }

    public async ValueTask DisposeAsync()
    {
        if (_terminal is { HasExited: false })
        {
            _terminal.Kill();
        }

        if (!_xvnc.HasExited)
        {
            using (var term = Process.Start("/bin/kill", ["-TERM", _xvnc.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _xvnc.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _xvnc.Kill();
                await _xvnc.WaitForExitAsync();
                // Only our own, now stopped, server's leftovers.
                File.Delete($"/tmp/.X{Display}-lock");
                File.Delete($"/tmp/.X11-unix/X{Display}");
            }
        }

        _terminal?.Dispose();
        _xvnc.Dispose();
    }

    private static Process Start(string program, int display, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DISPLAY"] = $":{display}";
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>A connect succeeds before Xvnc is ready; reading the 12-byte banner is the real signal.</summary>
    private static async Task<bool> WaitForBannerAsync(string socketPath, Process xvnc, TimeSpan within)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < within && !xvnc.HasExited)
        {
            try
            {
                using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
                await using var stream = new NetworkStream(socket);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await stream.ReadExactlyAsync(new byte[12], timeout.Token);
                return true;
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                await Task.Delay(50);
            }
        }

        return false;
    }
}
