using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using StreamSpace.Tests.Support;
using Xunit.Abstractions;

namespace StreamSpace.Tests.E2E;

/// <summary>
/// The Web process killed with SIGKILL while two viewers stream a session (#20 item 2): the viewers say the connection
/// was lost, reconnect on their own once Web is back, and the session is the one it was (same start, same sandbox).
/// </summary>
[Collection(SharedPortal.Name)]
public sealed partial class WebKillJourneyTests(RunningPortal portal, ITestOutputHelper output)
{
    [Fact]
    public async Task Viewers_of_a_session_reconnect_by_themselves_after_web_is_killed_and_the_session_is_untouched()
    {
        var page = await portal.NewPageAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        var (tenant, email) = await Journeys.SignUpAsync(portal, page, "webkill");
        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "catalog").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Launch Terminal" }).ClickAsync();
        await page.WaitForURLAsync(ViewerUrl());
        await Viewer.ExpectConnectedAsync(page);
        var sessionId = Guid.Parse(ViewerUrl().Match(page.Url).Groups[1].Value);

        // A second tab on the same session: both viewers must come back.
        var second = await page.Context.NewPageAsync();
        await second.GotoAsync(page.Url);
        await Viewer.ExpectConnectedAsync(second);

        var home = await Journeys.HomeOfAsync(portal, tenant, email);
        var before = await SessionAsync(sessionId);
        var uid = await UidOfAsync(tenant, email);
        var processesBefore = HostProcesses.OwnedBy(uid).Order().ToList();
        Assert.NotEmpty(processesBefore);
        Assert.Contains("Xvnc", HostProcesses.NamesOwnedBy(uid));

        var down = Stopwatch.StartNew();
        TimeSpan? restarted = null;
        await portal.KillAndRestartWebAsync(async () =>
        {
            foreach (var viewer in new[] { page, second })
            {
                await Assertions.Expect(viewer.Locator("#overlay-title")).ToHaveTextAsync("Connection lost, reconnecting…");
                await Assertions.Expect(viewer.Locator("#overlay")).ToBeVisibleAsync();
                await Assertions.Expect(viewer.Locator("#status")).Not.ToHaveAttributeAsync("data-state", "connected");
            }

            await Journeys.SaveScreenshotAsync(portal, page, "viewer-reconnecting.png");

            // Nothing but Web died: the sandbox runs on, and the row was not touched.
            Assert.Equal(processesBefore, HostProcesses.OwnedBy(uid).Order().ToList());
            Assert.Equal(before, await SessionAsync(sessionId));
        });
        restarted = down.Elapsed;

        // No reload: each viewer polls the status again and reconnects.
        await Viewer.ExpectConnectedAsync(page);
        await Viewer.ExpectConnectedAsync(second);
        output.WriteLine($"Web ready again {restarted.Value.TotalSeconds:0.0} s after the kill; both viewers connected {down.Elapsed.TotalSeconds:0.0} s after it.");
        await Assertions.Expect(page.Locator("#overlay")).ToBeHiddenAsync();

        var proof = Guid.NewGuid().ToString("N");
        await Viewer.TypeAsync(page, $"echo {proof} > ~/after-restart.txt");
        Assert.Equal(proof, await Viewer.WaitForFileAsync(Path.Combine(home, "after-restart.txt")));

        var after = await SessionAsync(sessionId);
        Assert.Equal(before, after);
        Assert.Equal(processesBefore, HostProcesses.OwnedBy(uid).Order().ToList());

        await page.GetByRole(AriaRole.Button, new() { Name = "Terminate" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/sessions$"));
    }

    /// <summary>What a crash of Web must not change; connection and input times move with the viewers, so they are left out.</summary>
    private sealed record SessionFacts(string State, DateTimeOffset? StartedAt, string? Endpoint, string? FailureReason);

    private async Task<SessionFacts> SessionAsync(Guid sessionId)
    {
        await using var db = portal.Database.CreateContext();
        var s = await db.Sessions.IgnoreQueryFilters().AsNoTracking().SingleAsync(s => s.Id == sessionId);
        return new(s.State.ToString(), s.StartedAt, s.Endpoint, s.FailureReason);
    }

    private async Task<int> UidOfAsync(string tenant, string email)
    {
        await using var db = await portal.TenantDbAsync(tenant);
        return await db.Users.Where(m => m.Email == email).Select(m => m.LocalUid).SingleAsync();
    }

    [GeneratedRegex("/sessions/([0-9a-f-]{36})/view$")]
    private static partial Regex ViewerUrl();
}
