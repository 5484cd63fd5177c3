using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Tiers;
using StreamSpace.Tests.Integration.Kubernetes;

namespace StreamSpace.Tests.Integration.Streaming;

/// <summary>
/// The portal with the http test image's app (<c>tests/images/http/app.py</c>) run by python3 on the host as every
/// session's upstream, its <c>HOME</c> a fresh directory: typed keys land in <see cref="Home"/><c>/typed.txt</c>.
/// </summary>
public sealed class SelkiesAppPortal : SessionAppPortal, IAsyncLifetime
{
    private Process? _app;

    public string Home { get; } = Directory.CreateTempSubdirectory("streamspace-selkies-").FullName;

    public string ReadHomeFile(string name)
    {
        var path = Path.Combine(Home, name);
        return File.Exists(path) ? File.ReadAllText(path) : string.Empty;
    }

    /// <summary>Sets the clipboard rules of Ada's tier; the proxy reads them when a WebSocket opens.</summary>
    public async Task SetClipboardAsync(bool clipboardIn, bool clipboardOut)
    {
        await using var db = ContextOf(Acme);
        var tierId = await db.Users.Where(m => m.Id == Acme.Admin!.Id).Select(m => m.TierId).SingleAsync();
        var tier = Tier.Resolve(tierId, await db.Tiers.ToListAsync());
        tier.Change(tier.Limits, tier.Dlp with { ClipboardIn = clipboardIn, ClipboardOut = clipboardOut });
        await db.SaveChangesAsync();
    }

    protected override async Task<string> StartUpstreamAsync()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("python3", [AppScript()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["HOME"] = Home;
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["BIND"] = "127.0.0.1";
        _app = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        var address = $"http://127.0.0.1:{port}";
        using var probe = new HttpClient();
        if (!await Deadline.WaitUntilAsync(async () =>
            {
                try
                {
                    return (await probe.GetAsync(address + "/")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(15)))
        {
            throw new InvalidOperationException($"app.py did not answer on {address}: {await _app.StandardError.ReadToEndAsync()}");
        }

        return address;
    }

    public new async Task DisposeAsync()
    {
        if (_app is { HasExited: false })
        {
            _app.Kill();
            await _app.WaitForExitAsync();
        }

        _app?.Dispose();
        await base.DisposeAsync();
        Directory.Delete(Home, recursive: true);
    }

    private static string AppScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "images", "http", "app.py");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("tests/images/http/app.py was not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
