using System.Net;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Tiers;
using StreamSpace.Tests.Integration.Catalog;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Admin;

public sealed class TierAdministrationTests(AdminPortal portal) : IClassFixture<AdminPortal>
{
    [Fact]
    public async Task Creating_a_tier_saves_it_and_writes_one_tier_create_event()
    {
        var client = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);

        var response = await client.PostFormAsync("/admin/tiers", Fields("team", memory: "8Gi"), "?handler=Create");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var db = portal.ContextOf(portal.Acme);
        var tier = await db.Tiers.SingleAsync(t => t.Name == "team");
        Assert.Equal(8L << 30, tier.MemoryBytes);
        Assert.Equal(TimeSpan.FromHours(2), tier.MaxSessionDuration);
        var created = Assert.Single(await portal.EventsAsync(portal.Acme, AuditActions.TierCreated, "tier/team"));
        Assert.Equal(AdminPortal.AcmeAdmin, created.Actor);
        Assert.Contains("memory 8Gi", created.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editing_a_tier_saves_the_new_limits_and_one_tier_update_event_lists_what_changed()
    {
        var client = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var tier = await NewTierAsync("edited");

        var response = await client.PostFormAsync("/admin/tiers", Fields("edited", memory: "2Gi", sessions: "3", clipboardOut: false), $"?handler=Save&id={tier}", htmx: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-tier=\"edited\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var updated = Assert.Single(await portal.EventsAsync(portal.Acme, AuditActions.TierUpdated, "tier/edited"));
        Assert.Equal(AdminPortal.AcmeAdmin, updated.Actor);
        Assert.Equal("memory 4Gi → 2Gi; maxSessions 1 → 3", updated.Details);
    }

    [Fact]
    public async Task Each_invalid_quantity_gets_its_own_fields_message_and_nothing_is_saved()
    {
        var client = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var tier = await NewTierAsync("invalid");
        var fields = Fields("invalid", memory: "16GB", cpu: "two", sessions: "-1", storage: "lots", duration: "8 hours", idle: "30");

        var response = await client.PostFormAsync("/admin/tiers", fields, $"?handler=Save&id={tier}", htmx: true);
        var html = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Contains("\"16GB\" is not a memory size such as 4Gi or 512Mi.", html, StringComparison.Ordinal);
        Assert.Contains("\"two\" is not a CPU amount such as 2000m or 2.", html, StringComparison.Ordinal);
        Assert.Contains("\"-1\" is not a number of sessions from 0 to 1000.", html, StringComparison.Ordinal);
        Assert.Contains("\"lots\" is not a storage size such as 10Gi or 100Gi.", html, StringComparison.Ordinal);
        Assert.Contains("\"8 hours\" is not a duration such as 8h or 90m.", html, StringComparison.Ordinal);
        Assert.Contains("\"30\" is not a duration such as 30m or 1h.", html, StringComparison.Ordinal);
        Assert.Empty(await portal.EventsAsync(portal.Acme, AuditActions.TierUpdated, "tier/invalid"));
    }

    [Fact]
    public async Task Deleting_an_unused_tier_removes_it_with_one_tier_delete_event()
    {
        var client = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var tier = await NewTierAsync("unused");

        var response = await client.PostFormAsync("/admin/tiers", new Dictionary<string, string>(), $"?handler=Delete&id={tier}", htmx: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = portal.ContextOf(portal.Acme);
        Assert.False(await db.Tiers.AnyAsync(t => t.Id == tier));
        Assert.Equal(AdminPortal.AcmeAdmin, Assert.Single(await portal.EventsAsync(portal.Acme, AuditActions.TierDeleted, "tier/unused")).Actor);
    }

    [Fact]
    public async Task A_tier_with_members_is_not_deleted_and_the_admin_is_told_to_move_them_first()
    {
        var client = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var tier = await NewTierAsync("occupied");
        var (member, _) = await portal.NewAcmeMemberAsync("occupant");
        await PutInTierAsync(member, tier);

        var response = await client.PostFormAsync("/admin/tiers", new Dictionary<string, string>(), $"?handler=Delete&id={tier}", htmx: true);

        Assert.Contains("1 member is in the tier &quot;occupied&quot;: move them to another tier before deleting it.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = portal.ContextOf(portal.Acme);
        Assert.True(await db.Tiers.AnyAsync(t => t.Id == tier));
        Assert.Empty(await portal.EventsAsync(portal.Acme, AuditActions.TierDeleted, "tier/occupied"));
    }

    [Fact]
    public async Task The_preview_counts_the_running_sessions_a_lower_session_limit_would_hibernate()
    {
        var client = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var tier = await NewTierAsync("preview", maxSessions: 5);
        var (member, _) = await portal.NewAcmeMemberAsync("previewed");
        await PutInTierAsync(member, tier);
        for (var i = 0; i < 4; i++)
        {
            await portal.AddSessionAsync(portal.Acme, member, SessionState.Running);
        }

        var response = await client.PostFormAsync("/admin/tiers", Fields("preview", sessions: "1", memory: "512Mi"), $"?handler=Preview&id={tier}", htmx: true);
        var html = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Contains("3 running sessions would be hibernated to bring their owners within the new limits.", html, StringComparison.Ordinal);
        Assert.Contains("1 member has more live sessions than the new limit of 1.", html, StringComparison.Ordinal);
        Assert.Contains("1 member's sessions exceed the new memory limit of 512Mi.", html, StringComparison.Ordinal);
        await using var db = portal.ContextOf(portal.Acme);
        Assert.Equal(5, (await db.Tiers.SingleAsync(t => t.Id == tier)).MaxSessions);
    }

    [Fact]
    public async Task A_plain_member_gets_403_on_the_tiers_page_and_its_actions()
    {
        var (_, email) = await portal.NewAcmeMemberAsync("plain");
        var client = await portal.SignedInAsync("acme", email);
        var tier = await NewTierAsync("guarded");

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/admin/tiers")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/admin/tiers?handler=Delete&id={tier}", null)).StatusCode);
    }

    [Fact]
    public async Task Another_organisations_tier_id_answers_404()
    {
        var client = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        await using var initech = portal.ContextOf(portal.Initech);
        var foreign = (await initech.Tiers.FirstAsync()).Id;

        Assert.Equal(HttpStatusCode.NotFound, (await client.HtmxGetAsync($"/admin/tiers?handler=Edit&id={foreign}")).StatusCode);
        var delete = await client.PostFormAsync("/admin/tiers", new Dictionary<string, string>(), $"?handler=Delete&id={foreign}", htmx: true);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
    }

    private async Task<Guid> NewTierAsync(string name, int maxSessions = 1)
    {
        await using var db = portal.ContextOf(portal.Acme);
        var tier = Tier.Create(name, Tier.Defaults()[0].Limits with { MaxSessions = maxSessions }, Tier.Defaults()[0].Dlp);
        db.Tiers.Add(tier);
        await db.SaveChangesAsync();
        return tier.Id;
    }

    private async Task PutInTierAsync(Guid member, Guid tier)
    {
        await using var db = portal.ContextOf(portal.Acme);
        (await db.Users.SingleAsync(m => m.Id == member)).TierId = tier;
        await db.SaveChangesAsync();
    }

    private static Dictionary<string, string> Fields(
        string name, string memory = "4Gi", string cpu = "2", string sessions = "1", string storage = "10Gi", string duration = "2h", string idle = "15m", bool clipboardOut = false)
    {
        var fields = new Dictionary<string, string>
        {
            ["Form.Name"] = name,
            ["Form.Memory"] = memory,
            ["Form.Cpu"] = cpu,
            ["Form.MaxSessions"] = sessions,
            ["Form.Storage"] = storage,
            ["Form.MaxSessionDuration"] = duration,
            ["Form.IdleTimeout"] = idle,
            ["Form.ClipboardIn"] = "true",
            ["Form.Watermark"] = "true",
        };
        if (clipboardOut)
        {
            fields["Form.ClipboardOut"] = "true";
        }

        return fields;
    }
}
