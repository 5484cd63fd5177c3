using System.Net;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Members;
using StreamSpace.Domain.Sessions;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Admin;

public sealed class MemberAdministrationTests(AdminPortal portal) : IClassFixture<AdminPortal>
{
    [Fact]
    public async Task Changing_role_tier_and_overrides_saves_them_with_one_member_change_event_saying_what_changed()
    {
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var (member, email) = await portal.NewAcmeMemberAsync("promoted");
        var pro = await TierIdAsync("pro");

        var response = await admin.PostFormAsync("/admin/members", new Dictionary<string, string>
        {
            ["Form.Role"] = MemberRole.TenantAdmin,
            ["Form.TierId"] = pro.ToString(),
            ["Form.Memory"] = "8Gi",
            ["Form.MaxSessions"] = "",
        }, $"?handler=Save&id={member}", htmx: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = portal.ContextOf(portal.Acme);
        var saved = await db.Users.SingleAsync(m => m.Id == member);
        Assert.Equal(MemberRole.TenantAdmin, saved.Role);
        Assert.Equal(pro, saved.TierId);
        Assert.Equal(8L << 30, saved.OverrideMemoryBytes);
        var change = Assert.Single(await portal.EventsAsync(portal.Acme, AuditActions.MemberChanged, $"member/{email}"));
        Assert.Equal(AdminPortal.AcmeAdmin, change.Actor);
        Assert.Equal("role user → tenant-admin; tier free → pro; memory override none → 8Gi", change.Details);
    }

    [Fact]
    public async Task An_invalid_override_names_its_field_and_saves_nothing()
    {
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var (member, email) = await portal.NewAcmeMemberAsync("overridden");

        var response = await admin.PostFormAsync("/admin/members", new Dictionary<string, string>
        {
            ["Form.Role"] = MemberRole.User,
            ["Form.MaxSessionDuration"] = "forever",
        }, $"?handler=Save&id={member}", htmx: true);

        Assert.Contains("&quot;forever&quot; is not a duration such as 8h.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await portal.EventsAsync(portal.Acme, AuditActions.MemberChanged, $"member/{email}"));
    }

    [Fact]
    public async Task Disabling_a_member_hibernates_their_running_sessions_refuses_their_sign_in_and_ends_their_cookie()
    {
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var (member, email) = await portal.NewAcmeMemberAsync("disabled");
        var memberClient = await portal.SignedInAsync("acme", email);
        var running = await portal.AddSessionAsync(portal.Acme, member, SessionState.Running);
        Assert.Equal(HttpStatusCode.OK, (await memberClient.GetAsync("/sessions")).StatusCode);

        var response = await admin.PostFormAsync("/admin/members", new Dictionary<string, string>(), $"?handler=Disable&id={member}", htmx: true);

        Assert.Contains("Disabled", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using (var db = portal.ContextOf(portal.Acme))
        {
            var session = await db.Sessions.SingleAsync(s => s.Id == running);
            Assert.Equal(SessionState.Hibernating, session.State);
            Assert.Equal("member disabled", session.HibernateReason);
        }

        var change = Assert.Single(await portal.EventsAsync(portal.Acme, AuditActions.MemberChanged, $"member/{email}"));
        Assert.Equal("disabled", change.Details);
        Assert.Equal(AdminPortal.AcmeAdmin, change.Actor);
        var stale = await memberClient.GetAsync("/sessions");
        Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        Assert.StartsWith("/login", stale.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        var signIn = await portal.ClientFor("acme").SignInAsync(email, Passwords.Good);
        Assert.Contains("This account is disabled.", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Re_enabling_a_member_lets_them_sign_in_again_with_one_member_change_event()
    {
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var (member, email) = await portal.NewAcmeMemberAsync("reenabled");
        await admin.PostFormAsync("/admin/members", new Dictionary<string, string>(), $"?handler=Disable&id={member}");

        await admin.PostFormAsync("/admin/members", new Dictionary<string, string>(), $"?handler=Enable&id={member}");

        Assert.Equal(HttpStatusCode.Redirect, (await portal.ClientFor("acme").SignInAsync(email, Passwords.Good)).StatusCode);
        var events = await portal.EventsAsync(portal.Acme, AuditActions.MemberChanged, $"member/{email}");
        Assert.Equal(["disabled", "enabled"], events.OrderBy(e => e.Id).Select(e => e.Details));
    }

    [Fact]
    public async Task The_last_tenant_admin_can_be_neither_demoted_nor_disabled()
    {
        var admin = await portal.SignedInAsync("initech", AdminPortal.InitechAdmin);
        var bill = portal.Initech.Admin!.Id;

        var demote = await admin.PostFormAsync("/admin/members", new Dictionary<string, string> { ["Form.Role"] = MemberRole.User }, $"?handler=Save&id={bill}", htmx: true);
        var disable = await admin.PostFormAsync("/admin/members", new Dictionary<string, string>(), $"?handler=Disable&id={bill}", htmx: true);

        const string Last = "bill@initech.test is the last active tenant admin of this organisation: make another member a tenant admin before you";
        Assert.Contains(Last + " make them a user.", System.Net.WebUtility.HtmlDecode(await demote.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Contains(Last + " disable them.", System.Net.WebUtility.HtmlDecode(await disable.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        await using var db = portal.ContextOf(portal.Initech);
        var saved = await db.Users.SingleAsync(m => m.Id == bill);
        Assert.Equal(MemberRole.TenantAdmin, saved.Role);
        Assert.False(saved.IsDisabled);
        Assert.Empty(await portal.EventsAsync(portal.Initech, AuditActions.MemberChanged, $"member/{AdminPortal.InitechAdmin}"));
    }

    [Fact]
    public async Task A_demoted_admins_existing_cookie_loses_the_admin_pages_at_once()
    {
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var (member, email) = await portal.NewAcmeMemberAsync("demoted", MemberRole.TenantAdmin);
        var demoted = await portal.SignedInAsync("acme", email);
        Assert.Equal(HttpStatusCode.OK, (await demoted.GetAsync("/admin/members")).StatusCode);

        await admin.PostFormAsync("/admin/members", new Dictionary<string, string> { ["Form.Role"] = MemberRole.User }, $"?handler=Save&id={member}");

        Assert.Equal(HttpStatusCode.Forbidden, (await demoted.GetAsync("/admin/members")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await demoted.GetAsync("/sessions")).StatusCode);
    }

    [Fact]
    public async Task A_plain_member_gets_403_and_another_organisations_member_id_404()
    {
        var (_, email) = await portal.NewAcmeMemberAsync("nosy");
        var plain = await portal.SignedInAsync("acme", email);
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var foreign = portal.Initech.Admin!.Id;

        Assert.Equal(HttpStatusCode.Forbidden, (await plain.GetAsync("/admin/members")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostFormAsync("/admin/members", new Dictionary<string, string>(), $"?handler=Disable&id={foreign}", htmx: true)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/admin/members?handler=Export&id={foreign}")).StatusCode);
    }

    private async Task<Guid> TierIdAsync(string name)
    {
        await using var db = portal.ContextOf(portal.Acme);
        return await db.Tiers.Where(t => t.Name == name).Select(t => t.Id).SingleAsync();
    }
}
