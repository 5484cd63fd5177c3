using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace StreamSpace.Tests.E2E;

[Collection(SharedPortal.Name)]
public sealed partial class AuditJourneyTests(RunningPortal portal)
{
    [Fact]
    public async Task The_admin_sees_a_members_launch_and_hibernation_in_the_audit_log_and_in_its_csv()
    {
        var admin = await portal.NewPageAsync();
        var (tenant, _) = await Journeys.SignUpAsync(portal, admin, "audit");
        var memberEmail = $"mia@{tenant}.test";
        await Journeys.AddMemberAsync(portal, tenant, memberEmail);

        var member = await portal.NewPageAsync();
        member.Dialog += (_, dialog) => dialog.AcceptAsync();
        await Journeys.SignInAsync(portal, member, tenant, memberEmail);
        await member.GotoAsync(new Uri(portal.TenantUrl(tenant), "catalog").ToString());
        await member.GetByRole(AriaRole.Button, new() { Name = "Launch Terminal" }).ClickAsync();
        await member.WaitForURLAsync(new Regex("/sessions/[0-9a-f-]{36}/view$"));
        await Assertions.Expect(member.Locator("#status")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });
        await member.GetByRole(AriaRole.Button, new() { Name = "Hibernate" }).ClickAsync();
        await Assertions.Expect(member.Locator("#overlay-title")).ToHaveTextAsync("This session is hibernating.", new() { Timeout = 30_000 });

        await admin.GotoAsync(new Uri(portal.TenantUrl(tenant), "admin/audit").ToString());
        await admin.GetByLabel("Actor").FillAsync("mia@");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await admin.WaitForURLAsync(new Regex("actor=mia"));
        var actions = admin.Locator("#audit-table tbody tr[data-action]");
        await Assertions.Expect(actions.First).ToHaveAttributeAsync("data-action", new Regex("^(session.hibernate|stream.disconnect)$"));
        var chain = await actions.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.action)");
        Assert.Equal(["session.hibernate", "stream.connect", "session.launch", "member.sign-in"], chain.Where(a => a != "stream.disconnect").ToArray());
        await Assertions.Expect(admin.Locator("#audit-table")).ToContainTextAsync("user");
        await Journeys.SaveScreenshotAsync(portal, admin, "audit-log.png");

        var download = await admin.RunAndWaitForDownloadAsync(() => admin.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);

        Assert.Matches(@"^audit-.+\.csv$", download.SuggestedFilename);
        Assert.StartsWith("time_utc,actor,action,target,source_ip,details", csv, StringComparison.Ordinal);
        Assert.Contains($",{memberEmail},session.launch,session/xterm-", csv, StringComparison.Ordinal);
        Assert.Matches(new Regex($@",{Regex.Escape(memberEmail)},session\.hibernate,session/xterm-[0-9a-f]+,[^,]*,user\r\n"), csv);
        Assert.DoesNotContain("tenant.create", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_usage_page_charts_a_running_session_from_the_data_in_the_page_and_shows_it_in_the_table()
    {
        var admin = await portal.NewPageAsync();
        var (tenant, _) = await Journeys.SignUpAsync(portal, admin, "usage");
        await admin.GotoAsync(new Uri(portal.TenantUrl(tenant), "catalog").ToString());
        await admin.GetByRole(AriaRole.Button, new() { Name = "Launch Terminal" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#status")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });

        await admin.GotoAsync(new Uri(portal.TenantUrl(tenant), "admin/usage").ToString());

        await Assertions.Expect(admin.Locator("#usage-table thead")).ToContainTextAsync("Terminal");
        Assert.Equal(30, await admin.Locator("#usage-table tbody tr").CountAsync());
        var datasets = await admin.EvaluateAsync<string[]>("() => Chart.getChart('usage-chart').data.datasets.map(d => d.label)");
        Assert.Equal(["Terminal"], datasets);
        await Journeys.SaveScreenshotAsync(portal, admin, "usage.png");
    }
}
