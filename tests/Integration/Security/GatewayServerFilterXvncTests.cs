using System.Diagnostics;
using System.Text;
using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Tests.Integration.Streaming;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>The clipboard-out filter against a real Xvnc: every encoding it lets the viewer ask for stays in step, and a copy is dropped.</summary>
public sealed class GatewayServerFilterXvncTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Text_copied_inside_a_real_Xvnc_is_dropped_while_updates_in_every_allowed_encoding_stay_readable()
    {
        await using var xvnc = await XvncDisplay.StartAsync();
        using var xterm = StartXterm(xvnc);
        try
        {
            await StreamThroughTheFilterAsync(xvnc);
        }
        finally
        {
            xterm.Kill();
        }
    }

    private static async Task StreamThroughTheFilterAsync(XvncDisplay xvnc)
    {
        using var timeout = new CancellationTokenSource(Patience * 3);
        await using var upstream = await RfbUpstream.ConnectAsync(xvnc.Endpoint, null, timeout.Token);
        var serverInit = await upstream.InitialiseAsync(timeout.Token);
        var filter = new RfbServerMessageFilter(RfbPixelFormat.Read(serverInit.AsSpan(4)));
        var relayed = new MemoryStream();
        var buffer = new byte[256 * 1024];
        var output = new byte[buffer.Length + RfbServerMessageFilter.MaxHeld];

        async Task ReadUntilAsync(Func<bool> done)
        {
            while (!done())
            {
                var read = await upstream.Stream.ReadAsync(buffer, timeout.Token);
                Assert.NotEqual(0, read);
                relayed.Write(output, 0, filter.Filter(buffer.AsSpan(0, read), output));
            }
        }

        foreach (var encoding in new[] { 7, 16, 5, 2, 6, 0, 1 })
        {
            // Each round: a whole-screen update in one encoding (Tight with JPEG allowed), with the cursor and desktop pseudo-encodings.
            await upstream.Stream.WriteAsync(RfbMessages.SetEncodings(encoding, -239, -223, -308, -307, -224, -256 + 6, -32 + 5), timeout.Token);
            await upstream.Stream.WriteAsync(RfbMessages.FramebufferUpdateRequest(false, 0, 0, 800, 600), timeout.Token);
            var before = filter.Messages;
            await ReadUntilAsync(() => filter.Messages > before);
        }

        var secret = $"copied-in-the-session-{Guid.NewGuid():N}";
        var file = Path.Combine(Path.GetTempPath(), $"streamspace-clip-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, secret, timeout.Token);

        // In the foreground, serving Xvnc's one request for the selection, then gone.
        var start = new ProcessStartInfo("/usr/bin/xclip", ["-quiet", "-loops", "1", "-selection", "clipboard", "-i", file]) { UseShellExecute = false };
        start.Environment["DISPLAY"] = xvnc.Display;
        using var xclip = Process.Start(start)!;
        try
        {
            await ReadUntilAsync(() => filter.Dropped > 0);
        }
        finally
        {
            if (!xclip.HasExited)
            {
                xclip.Kill();
            }

            File.Delete(file);
        }

        Assert.DoesNotContain(secret, Encoding.Latin1.GetString(relayed.ToArray()), StringComparison.Ordinal);
    }

    private static Process StartXterm(XvncDisplay xvnc)
    {
        var start = new ProcessStartInfo("/usr/bin/xterm", ["-geometry", "80x24+0+0", "-e", "/bin/sh", "-c", "ls -la /usr/bin; sleep 600"])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["DISPLAY"] = xvnc.Display;
        return Process.Start(start)!;
    }
}
