using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Features.Catalog;

namespace StreamSpace.Tests.E2E;

/// <summary>
/// An <c>http</c> session in Chromium: the viewer frames the app's own web client (tests/images/http/app.py, run on the host
/// and set as a running session's endpoint, as a runtime would), typing in the frame reaches the app's home through the
/// proxy, and the same idle countdown with Keep working shows above it.
/// </summary>
[Collection(SharedPortal.Name)]
public sealed class AppViewerJourneyTests(RunningPortal portal) : IAsyncLifetime
{
    private readonly string _home = Directory.CreateTempSubdirectory("ss-e2e-app-").FullName;
    private Process? _app;
    private string _address = string.Empty;

    [Fact]
    public async Task An_http_sessions_app_is_framed_typing_reaches_its_home_and_the_idle_countdown_shows_over_it()
    {
        var page = await portal.NewPageAsync();
        var (tenant, _) = await Journeys.SignUpAsync(portal, page, "frame");
        var session = await AddRunningAppSessionAsync(tenant);

        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), $"sessions/{session}/view").ToString());
        await Assertions.Expect(page.Locator("#status")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });
        var app = page.FrameLocator("iframe.viewer-app");
        await Assertions.Expect(app.Locator("#state")).ToHaveTextAsync("connected", new() { Timeout = 20_000 });

        await app.Locator("#typed").ClickAsync();
        await page.Keyboard.TypeAsync("framed");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!ReadTyped().Contains("framed", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Contains("framed", ReadTyped(), StringComparison.Ordinal);

        // Inside the five-minute warning: the banner shows with the next status refresh (every 15 s), above the app.
        await using (var db = await portal.TenantDbAsync(tenant))
        {
            var tier = await db.Tiers.SingleAsync(t => t.Name == "pro");
            tier.Change(tier.Limits with { IdleTimeout = TimeSpan.FromMinutes(2) }, tier.Dlp);
            await db.SaveChangesAsync();
        }

        await Assertions.Expect(page.Locator("#idle-banner")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Keep working" })).ToBeVisibleAsync();
        await Journeys.SaveScreenshotAsync(portal, page, "app-viewer-countdown.png");
    }

    public async Task InitializeAsync()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("python3", [Path.Combine(RunningPortal.RepositoryRoot, "tests", "images", "http", "app.py")])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["HOME"] = _home;
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["BIND"] = "127.0.0.1";
        _app = Process.Start(start)!;
        _address = $"http://127.0.0.1:{port}";
        using var probe = new HttpClient();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                if ((await probe.GetAsync(_address + "/")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException("app.py did not answer on " + _address);
    }

    public async Task DisposeAsync()
    {
        if (_app is { HasExited: false })
        {
            _app.Kill();
            await _app.WaitForExitAsync();
        }

        _app?.Dispose();
        Directory.Delete(_home, recursive: true);
    }

    private string ReadTyped()
    {
        var path = Path.Combine(_home, "typed.txt");
        return File.Exists(path) ? File.ReadAllText(path) : string.Empty;
    }

    /// <summary>What a runtime leaves behind for a started http template: a Running session whose endpoint is the app.</summary>
    private async Task<Guid> AddRunningAppSessionAsync(string tenant)
    {
        await using var db = await portal.TenantDbAsync(tenant);
        var tenantId = (await db.Tenants.SingleAsync(t => t.Slug == tenant)).Id;
        var template = Template.CreateForTenant(tenantId, BuiltInTemplates.All[0] with
        {
            Name = "selkies-stand-in",
            DisplayName = "Selkies stand-in",
            Protocol = StreamProtocol.Http,
            Ports = [new TemplatePort("http", 3000)],
            LocalCommand = null,
        });
        db.Templates.Add(template);
        var member = await db.Users.SingleAsync();
        var now = DateTimeOffset.UtcNow;
        var session = Session.Create(member.Id, template.Id, "stand-in", 256L << 20, 250, now);
        session.Start("Starting", now);
        session.MarkRunning(_address, now, TimeSpan.FromHours(8));
        db.Sessions.Add(session);
        await db.SaveChangesAsync();
        return session.Id;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
