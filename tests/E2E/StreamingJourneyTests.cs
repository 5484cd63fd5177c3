using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using StreamSpace.Domain.Sessions;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.E2E;

[Collection(SharedPortal.Name)]
public sealed partial class StreamingJourneyTests(RunningPortal portal)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_member_launches_a_terminal_types_into_it_hibernates_resumes_and_terminates_it()
    {
        var page = await portal.NewPageAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        var (tenant, email) = await Journeys.SignUpAsync(portal, page, "stream");

        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "catalog").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Launch Terminal" }).ClickAsync();
        await page.WaitForURLAsync(ViewerUrl());
        await Viewer.ExpectConnectedAsync(page);
        var sessionId = Guid.Parse(ViewerUrl().Match(page.Url).Groups[1].Value);
        await Journeys.SaveScreenshotAsync(portal, page, "viewer.png");

        var canvasPixels = await Viewer.NonBlackPixelsAsync(page);
        Assert.True(canvasPixels > 50_000, $"The canvas shows almost nothing ({canvasPixels} non-black pixels).");

        var proof = Guid.NewGuid().ToString("N");
        await Viewer.TypeAsync(page, $"echo {proof} > ~/proof.txt");
        var home = await Journeys.HomeOfAsync(portal, tenant, email);
        Assert.Equal(proof, await Viewer.WaitForFileAsync(Path.Combine(home, "proof.txt")));

        await page.GetByRole(AriaRole.Button, new() { Name = "Hibernate" }).ClickAsync();
        await Assertions.Expect(page.Locator("#overlay-title")).ToHaveTextAsync("This session is hibernating.", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#overlay-detail")).ToContainTextAsync("You hibernated it.");
        Assert.Equal(SessionState.Hibernated, await StateOfAsync(sessionId));
        await Journeys.SaveScreenshotAsync(portal, page, "hibernated.png");
        Assert.Empty(HostProcesses.OwnedBy(await UidOfAsync(tenant, email)));

        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Viewer.ExpectConnectedAsync(page);
        await Viewer.TypeAsync(page, "cp ~/proof.txt ~/proof2.txt");
        Assert.Equal(proof, await Viewer.WaitForFileAsync(Path.Combine(home, "proof2.txt")));

        await page.GetByRole(AriaRole.Button, new() { Name = "Terminate" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/sessions$"));
        await WaitForStateAsync(sessionId, SessionState.Terminated);
        Assert.Empty(HostProcesses.OwnedBy(await UidOfAsync(tenant, email)));
        Assert.True(File.Exists(Path.Combine(home, "proof2.txt")), "Terminating must keep the home directory.");
    }

    [Fact]
    public async Task Another_member_gets_404_for_a_members_viewer_and_stream()
    {
        var owner = await portal.NewPageAsync();
        var (tenant, _) = await Journeys.SignUpAsync(portal, owner, "peek");
        await owner.GotoAsync(new Uri(portal.TenantUrl(tenant), "catalog").ToString());
        await owner.GetByRole(AriaRole.Button, new() { Name = "Launch Terminal" }).ClickAsync();
        await owner.WaitForURLAsync(ViewerUrl());
        await Viewer.ExpectConnectedAsync(owner);
        var viewerUrl = owner.Url;
        var streamUrl = viewerUrl.Replace("/view", "/stream", StringComparison.Ordinal);

        var otherEmail = $"mallory@{tenant}.test";
        await Journeys.AddMemberAsync(portal, tenant, otherEmail);
        var other = await portal.NewPageAsync();
        await Journeys.SignInAsync(portal, other, tenant, otherEmail);

        Assert.Equal(404, (await other.GotoAsync(viewerUrl))!.Status);
        // Playwright's own HTTP client cannot resolve *.localhost; the browser's fetch can, with the member's cookie.
        Assert.Equal(404, await StatusOfAsync(other, streamUrl));
        Assert.Equal(400, await StatusOfAsync(owner, streamUrl));

        owner.Dialog += (_, dialog) => dialog.AcceptAsync();
        await owner.GetByRole(AriaRole.Button, new() { Name = "Terminate" }).ClickAsync();
        await owner.WaitForURLAsync(new Regex("/sessions$"));
    }

    private static Task<int> StatusOfAsync(IPage page, string url) =>
        page.EvaluateAsync<int>("async url => (await fetch(url, { credentials: 'same-origin' })).status", url);

    private async Task<int> UidOfAsync(string tenant, string email)
    {
        await using var db = await portal.TenantDbAsync(tenant);
        return await db.Users.Where(m => m.Email == email).Select(m => m.LocalUid).SingleAsync();
    }

    private async Task<SessionState> StateOfAsync(Guid sessionId)
    {
        await using var db = portal.Database.CreateContext();
        return await db.Sessions.IgnoreQueryFilters().Where(s => s.Id == sessionId).Select(s => s.State).SingleAsync();
    }

    private async Task WaitForStateAsync(Guid sessionId, SessionState state)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (await StateOfAsync(sessionId) != state)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Session {sessionId} did not become {state}.");
            await Task.Delay(200);
        }
    }

    [GeneratedRegex("/sessions/([0-9a-f-]{36})/view$")]
    private static partial Regex ViewerUrl();
}
