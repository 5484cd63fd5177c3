using System.Diagnostics;
using System.Net.Sockets;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;

namespace StreamSpace.Tests.Integration.Streaming;

/// <summary>A real Xvnc listening only on a unix socket in its own temporary directory, stopped and cleaned up on dispose.</summary>
internal sealed class XvncDisplay : IAsyncDisposable
{
    private static int s_nextDisplay = 400 + (Environment.ProcessId % 200);

    private readonly Process _process;
    private readonly DirectoryInfo _directory;
    private readonly List<string> _output;

    private XvncDisplay(Process process, int number, DirectoryInfo directory, List<string> output)
    {
        _process = process;
        Number = number;
        _directory = directory;
        _output = output;
    }

    public int Number { get; }

    public string SocketPath => Path.Combine(_directory.FullName, "vnc.sock");

    public SessionEndpoint Endpoint => new(StreamProtocol.Rfb, "unix:" + SocketPath);

    public string Display => $":{Number}";

    /// <summary>Starts Xvnc with security None, or VncAuth when <paramref name="password"/> is given.</summary>
    public static async Task<XvncDisplay> StartAsync(string? password = null, params string[] extraArguments)
    {
        var directory = Directory.CreateTempSubdirectory("streamspace-gw-");
        var security = new List<string> { "-SecurityTypes", "None" };
        if (password is not null)
        {
            var passwordFile = Path.Combine(directory.FullName, "passwd");
            await File.WriteAllBytesAsync(passwordFile, await ObfuscatePasswordAsync(password));
            security = ["-SecurityTypes", "VncAuth", "-PasswordFile", passwordFile];
        }

        for (var attempt = 0; attempt < 20; attempt++)
        {
            var number = Interlocked.Increment(ref s_nextDisplay);
            if (File.Exists($"/tmp/.X{number}-lock") || File.Exists($"/tmp/.X11-unix/X{number}"))
            {
                continue;
            }

            var start = new ProcessStartInfo("/usr/bin/Xvnc")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { $":{number}", "-rfbport", "-1", "-rfbunixpath", Path.Combine(directory.FullName, "vnc.sock"),
                         "-geometry", "800x600", "-nolisten", "tcp" }.Concat(security).Concat(extraArguments))
            {
                start.ArgumentList.Add(argument);
            }

            var output = new List<string>();
            var process = Process.Start(start)!;
            process.ErrorDataReceived += (_, e) => { lock (output) { output.Add(e.Data ?? ""); } };
            process.OutputDataReceived += (_, e) => { lock (output) { output.Add(e.Data ?? ""); } };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var display = new XvncDisplay(process, number, directory, output);
            if (await display.WaitForBannerAsync(TimeSpan.FromSeconds(10)))
            {
                return display;
            }

            await display.StopAsync(deleteDirectory: false);
        }

        throw new InvalidOperationException("Could not start Xvnc on any display number.");
    }

    public async ValueTask DisposeAsync() => await StopAsync(deleteDirectory: true);

    /// <summary>Runs an X client against this display and returns its standard output, or null when it failed.</summary>
    public async Task<string?> RunClientAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["DISPLAY"] = Display;
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            return null;
        }

        return process.ExitCode == 0 ? await stdout : null;
    }

    /// <summary>The screen's size as the X server reports it to its clients (xdpyinfo), e.g. "800x600".</summary>
    public async Task<string?> ScreenSizeAsync()
    {
        var info = await RunClientAsync("/usr/bin/xdpyinfo");
        var line = info?.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith("dimensions:", StringComparison.Ordinal));
        return line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
    }

    private static async Task<byte[]> ObfuscatePasswordAsync(string password)
    {
        var start = new ProcessStartInfo("/usr/bin/vncpasswd", "-f")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync(password);
        process.StandardInput.Close();
        using var obfuscated = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(obfuscated);
        await process.WaitForExitAsync();
        return obfuscated.ToArray();
    }

    /// <summary>Ready means the RFB banner can be read, not merely that the socket accepts a connection.</summary>
    private async Task<bool> WaitForBannerAsync(TimeSpan within) =>
        await Deadline.WaitUntilAsync(async () =>
        {
            if (_process.HasExited)
            {
                return true;
            }

            try
            {
                using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
                var banner = new byte[12];
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await new NetworkStream(socket).ReadExactlyAsync(banner, timeout.Token);
                return true;
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                return false;
            }
        }, within) && !_process.HasExited;

    private async Task StopAsync(bool deleteDirectory)
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("/bin/kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }

            // Only our own, now stopped, server's leftovers.
            File.Delete($"/tmp/.X{Number}-lock");
            File.Delete($"/tmp/.X11-unix/X{Number}");
        }

        _process.Dispose();
        if (deleteDirectory)
        {
            _directory.Delete(recursive: true);
        }
    }

    public override string ToString()
    {
        lock (_output)
        {
            return $"Xvnc :{Number}: " + string.Join('\n', _output.TakeLast(30));
        }
    }
}
