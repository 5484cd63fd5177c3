using System.Diagnostics;

namespace StreamSpace.Tests.Integration.Streaming;

/// <summary>
/// What reached the X server, seen from inside the display: <c>xev</c> listening on the root window for key and pointer
/// events, which is where they go on a display with no window and no window manager.
/// </summary>
internal sealed class XEventLog : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private XEventLog(Process process)
    {
        _process = process;
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Starts <c>xev</c> and waits until it printed its first event, so nothing sent afterwards is missed.</summary>
    public static async Task<XEventLog> StartAsync(XvncDisplay display)
    {
        // stdbuf: xev writes to a pipe here, which the C library would otherwise buffer until xev exits.
        var start = new ProcessStartInfo("/usr/bin/stdbuf") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-oL", "/usr/bin/xev", "-root", "-event", "keyboard", "-event", "button", "-event", "property" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DISPLAY"] = display.Display;

        // Without an input method: xev otherwise looks each key up through one, which can stall it mid-event.
        start.Environment["LC_ALL"] = "C";
        start.Environment["XMODIFIERS"] = "@im=none";
        var log = new XEventLog(Process.Start(start)!);
        log._process.OutputDataReceived += (_, e) =>
        {
            lock (log._lines)
            {
                log._lines.Add(e.Data ?? "");
            }
        };
        log._process.ErrorDataReceived += (_, e) =>
        {
            lock (log._lines)
            {
                log._lines.Add("stderr: " + e.Data);
            }
        };
        log._process.BeginOutputReadLine();
        log._process.BeginErrorReadLine();

        // A property change on the root window is an event xev was asked for: once it shows, xev is listening.
        var ready = await Deadline.WaitUntilAsync(async () =>
        {
            await display.RunClientAsync("/usr/bin/xprop", "-root", "-f", "STREAMSPACE_TEST", "8s", "-set", "STREAMSPACE_TEST", "ready");
            return log.Lines.Any(line => line.StartsWith("PropertyNotify", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(10));
        Assert.True(ready, $"xev never reported an event on {display.Display}: {string.Join('\n', log.Lines)}");
        return log;
    }

    /// <summary>Whether a press or release of <paramref name="keysym"/> (as xev prints it, e.g. "0x61, a") reached the display.</summary>
    public bool SawKey(string keysym) => Lines.Any(line => line.Contains($"(keysym {keysym})", StringComparison.Ordinal));

    public bool SawButtonPress => Lines.Any(line => line.StartsWith("ButtonPress", StringComparison.Ordinal));

    public override string ToString() => string.Join('\n', Lines);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
