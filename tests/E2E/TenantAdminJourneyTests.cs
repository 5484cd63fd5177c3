using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using StreamSpace.Domain.Sessions;

namespace StreamSpace.Tests.E2E;

/// <summary>A tenant admin's day: invite a member, lower a tier, watch the effect preview, save, and see it enforced.</summary>
[Collection(SharedPortal.Name)]
public sealed partial class TenantAdminJourneyTests(RunningPortal portal)
{
    [Fact]
    public async Task An_admin_lowers_a_tiers_session_limit_sees_the_effect_and_the_members_extra_session_hibernates()
    {
        var admin = await portal.NewPageAsync();
        var (tenant, _) = await Journeys.SignUpAsync(portal, admin, "tiers");
        var memberEmail = $"mia@{tenant}.test";

        // The admin invites a member into the pro tier; the member accepts the link in their own browser.
        await admin.GotoAsync(new Uri(portal.TenantUrl(tenant), "admin/members").ToString());
        await admin.GetByLabel("E-mail").FillAsync(memberEmail);
        await admin.GetByLabel("Tier", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "pro" });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Invite" }).ClickAsync();
        var link = await admin.GetByLabel("Invitation link").InputValueAsync();
        Assert.Matches(InvitationLink(), link);

        var member = await portal.NewPageAsync();
        await member.GotoAsync(link);
        await member.GetByLabel("Your name").FillAsync("Mia");
        await member.GetByLabel("Password").FillAsync(Journeys.Password);
        await member.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await member.WaitForURLAsync(portal.TenantUrl(tenant).ToString());

        // The member opens two terminals.
        for (var i = 0; i < 2; i++)
        {
            await member.GotoAsync(new Uri(portal.TenantUrl(tenant), "catalog").ToString());
            await member.GetByRole(AriaRole.Button, new() { Name = "Launch Terminal" }).ClickAsync();
            await Assertions.Expect(member.Locator("#status")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });
        }

        // The admin lowers pro to one session and is shown what that does before saving.
        await admin.GotoAsync(new Uri(portal.TenantUrl(tenant), "admin/tiers").ToString());
        await admin.GetByRole(AriaRole.Link, new() { Name = "Edit pro" }).ClickAsync();
        var editor = admin.Locator("tr[data-tier=pro].table-active");
        await editor.GetByLabel("Concurrent sessions").FillAsync("1");
        await Assertions.Expect(admin.Locator("[id^=tier-impact-]")).ToContainTextAsync("1 running session would be hibernated");
        await Journeys.SaveScreenshotAsync(portal, admin, "admin-tier-preview.png");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(admin.Locator("tr[data-tier=pro] td").Nth(3)).ToHaveTextAsync("1");

        // quotas.enforce, running for real in the Workers process, hibernates the newer terminal.
        await Assertions.Expect(member.Locator("#overlay-title")).ToHaveTextAsync("This session is hibernating.", new() { Timeout = 60_000 });
        await Assertions.Expect(member.Locator("#overlay-detail")).ToContainTextAsync("It was hibernated to bring your organisation back within its quota.");
        await using var db = await portal.TenantDbAsync(tenant);
        var states = await db.Sessions.OrderBy(s => s.CreatedAt).Select(s => new { s.State, s.HibernateReason }).ToListAsync();
        Assert.Equal(SessionState.Running, states[0].State);
        Assert.Equal("quota", states[1].HibernateReason);

        // The audit log tells the story, newest first: the tier change by the admin, then the enforcement's hibernation.
        await admin.GotoAsync(new Uri(portal.TenantUrl(tenant), "admin/audit").ToString());
        var actions = await admin.Locator("#audit-table tbody tr[data-action]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.action)");
        var story = actions.Where(a => a is "tier.update" or "session.hibernate" or "session.launch" or "member.invite" or "member.invite-accept").Reverse().ToArray();
        Assert.Equal(["member.invite", "member.invite-accept", "session.launch", "session.launch", "tier.update", "session.hibernate"], story);
        var download = await admin.RunAndWaitForDownloadAsync(() => admin.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains(",tier.update,tier/pro,", csv, StringComparison.Ordinal);
        Assert.Matches(new Regex(@",system,session\.hibernate,session/xterm-[0-9a-f]+,[^,]*,quota\r\n"), csv);
    }

    [GeneratedRegex(@"^http://tiers[0-9a-f]{8}\.localhost:\d+/invite/[A-Za-z0-9_-]+$")]
    private static partial Regex InvitationLink();
}
