using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Members;
using StreamSpace.Infrastructure.Features.Members;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Integration.Streaming;

namespace StreamSpace.Tests.Integration.Admin;

public sealed partial class InvitationTests(AdminPortal portal) : IClassFixture<AdminPortal>
{
    [Fact]
    public async Task Inviting_shows_a_link_on_the_tenant_host_and_writes_one_invite_event()
    {
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var email = Unique("newcomer");

        var (html, token) = await InviteAsync(admin, email);

        Assert.Contains($"http://acme.localhost/invite/{token}", html, StringComparison.Ordinal);
        var invited = Assert.Single(await portal.EventsAsync(portal.Acme, AuditActions.MemberInvited, $"member/{email}"));
        Assert.Equal(AdminPortal.AcmeAdmin, invited.Actor);
        Assert.StartsWith("role user, tier free, expires ", invited.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(token, invited.Details, StringComparison.Ordinal);
        await using var db = portal.ContextOf(portal.Acme);
        Assert.DoesNotContain(token, await db.Invitations.Where(i => i.Email == email).Select(i => i.TokenHash).SingleAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_appears_in_exactly_one_log_line_the_invitation_link_even_after_the_link_is_used()
    {
        var log = new CapturedLog();
        using var logged = portal.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddProvider(log)));
        var admin = logged.CreateClient(new() { BaseAddress = new Uri("http://acme.localhost"), AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SignInAsync(AdminPortal.AcmeAdmin, Passwords.Good)).StatusCode);
        var (_, token) = await InviteAsync(admin, Unique("logged"));
        var browser = logged.CreateClient(new() { BaseAddress = new Uri("http://acme.localhost"), AllowAutoRedirect = false });

        await browser.PostFormAsync($"/invite/{token}", new Dictionary<string, string> { ["Password"] = Passwords.Good });
        await browser.GetAsync($"/invite/{token}");

        var line = Assert.Single(log.Lines, l => l.Contains(token, StringComparison.Ordinal));
        Assert.Contains("Invitation link for", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepting_sets_the_password_signs_in_and_writes_one_invite_accepted_event()
    {
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var email = Unique("joiner");
        var (_, token) = await InviteAsync(admin, email, MemberRole.TenantAdmin);
        var browser = portal.ClientFor("acme");

        var accepted = await browser.PostFormAsync($"/invite/{token}", new Dictionary<string, string> { ["DisplayName"] = "Jo Iner", ["Password"] = Passwords.Good });

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin/members")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await portal.ClientFor("acme").SignInAsync(email, Passwords.Good)).StatusCode);
        var joined = Assert.Single(await portal.EventsAsync(portal.Acme, AuditActions.InviteAccepted, $"member/{email}"));
        Assert.Equal(email, joined.Actor);
        Assert.Equal($"role tenant-admin, invited by {AdminPortal.AcmeAdmin}", joined.Details);
    }

    [Fact]
    public async Task A_name_longer_than_200_characters_is_refused_and_the_link_still_works()
    {
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var (_, token) = await InviteAsync(admin, Unique("longname"));
        var browser = portal.ClientFor("acme");

        var refused = await browser.PostFormAsync($"/invite/{token}", new Dictionary<string, string> { ["DisplayName"] = new string('n', 201), ["Password"] = Passwords.Good });
        var accepted = await browser.PostFormAsync($"/invite/{token}", new Dictionary<string, string> { ["DisplayName"] = new string('n', 200), ["Password"] = Passwords.Good });

        Assert.NotEqual(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Contains("Keep your name to 200 characters.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
    }

    [Fact]
    public async Task A_used_link_is_refused_the_second_time()
    {
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var (_, token) = await InviteAsync(admin, Unique("once"));
        await portal.ClientFor("acme").PostFormAsync($"/invite/{token}", new Dictionary<string, string> { ["Password"] = Passwords.Good });

        var again = await portal.ClientFor("acme").GetAsync($"/invite/{token}");

        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Contains("This invitation has already been used.", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_link_is_refused_with_its_expiry_date()
    {
        const string Token = "expired-token-for-the-test";
        await using (var db = portal.ContextOf(portal.Acme))
        {
            var created = DateTimeOffset.UtcNow.AddDays(-8);
            db.Invitations.Add(Invitation.Create(Unique("late"), MemberRole.User, null, Hash(Token), AdminPortal.AcmeAdmin, created, TimeSpan.FromDays(7)));
            await db.SaveChangesAsync();
        }

        var page = await portal.ClientFor("acme").GetAsync($"/invite/{Token}");
        var post = await portal.ClientFor("acme").PostAsync($"/invite/{Token}", null);

        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        Assert.Contains("This invitation expired on", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.Redirect, post.StatusCode);
    }

    [Fact]
    public async Task A_link_opened_on_another_organisations_host_is_refused_and_creates_nobody()
    {
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var email = Unique("wanderer");
        var (_, token) = await InviteAsync(admin, email);
        var elsewhere = portal.ClientFor("initech");

        var page = await elsewhere.GetAsync($"/invite/{token}");

        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        Assert.Contains("This invitation link is not valid for initech Inc.", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = portal.ContextOf(portal.Initech);
        Assert.False(await db.Users.AnyAsync(m => m.Email == email));
    }

    [Fact]
    public async Task Inviting_an_existing_member_is_refused_with_a_clear_message()
    {
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);

        var response = await admin.PostFormAsync("/admin/members", new Dictionary<string, string> { ["Invite.Email"] = AdminPortal.AcmeAdmin, ["Invite.Role"] = MemberRole.User }, "?handler=Invite", htmx: true);

        Assert.Contains($"{AdminPortal.AcmeAdmin} is already a member of this organisation.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inviting_the_same_email_again_makes_the_older_link_stop_working_with_a_message_instead_of_a_join_form()
    {
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var email = Unique("twice");
        var (_, older) = await InviteAsync(admin, email);
        var (_, newer) = await InviteAsync(admin, email.ToUpperInvariant());

        var page = await portal.ClientFor("acme").GetAsync($"/invite/{older}");

        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("This invitation link no longer works", html, StringComparison.Ordinal);
        Assert.DoesNotContain("invite-accept-form", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await portal.ClientFor("acme").GetAsync($"/invite/{newer}")).StatusCode);
        var pending = await (await admin.GetAsync("/admin/members/invitations")).Content.ReadAsStringAsync();
        Assert.Single(PendingRow().Matches(pending), m => string.Equals(m.Groups[1].Value, email, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_link_for_someone_who_became_a_member_another_way_says_sign_in_instead_of_identity_text()
    {
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var email = Unique("meanwhile");
        var (_, token) = await InviteAsync(admin, email);
        await portal.AddMemberAsync(portal.Acme, email, MemberRole.User);

        var page = await portal.ClientFor("acme").GetAsync($"/invite/{token}");

        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        Assert.Contains($"{email} is already a member of", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_invitation_leaves_the_pending_list_its_link_stops_working_and_the_revocation_is_audited()
    {
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var email = Unique("withdrawn");
        var (_, token) = await InviteAsync(admin, email);
        Guid id;
        await using (var db = portal.ContextOf(portal.Acme))
        {
            id = await db.Invitations.Where(i => i.Email == email).Select(i => i.Id).SingleAsync();
        }

        Assert.Contains(email, await (await admin.GetAsync("/admin/members/invitations")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var revoked = await admin.PostFormAsync("/admin/members/invitations", new Dictionary<string, string>(), $"?handler=Revoke&id={id}", htmx: true);

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var html = await revoked.Content.ReadAsStringAsync();
        Assert.Contains($"The invitation for <span class=\"text-break\">{email}</span> was revoked", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-invitation=\"{email}\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, (await portal.ClientFor("acme").GetAsync($"/invite/{token}")).StatusCode);
        var audited = Assert.Single(await portal.EventsAsync(portal.Acme, AuditActions.InviteRevoked, $"member/{email}"));
        Assert.Equal(AdminPortal.AcmeAdmin, audited.Actor);
    }

    [Fact]
    public async Task Revoking_another_organisations_invitation_answers_404_and_leaves_it_working()
    {
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        Guid foreign;
        await using (var db = portal.ContextOf(portal.Initech))
        {
            var invitation = Invitation.Create(Unique("foreign"), MemberRole.User, null, Hash(Guid.NewGuid().ToString()), "someone@initech.test", DateTimeOffset.UtcNow, TimeSpan.FromDays(1));
            db.Invitations.Add(invitation);
            await db.SaveChangesAsync();
            foreign = invitation.Id;
        }

        var response = await admin.PostFormAsync("/admin/members/invitations", new Dictionary<string, string>(), $"?handler=Revoke&id={foreign}", htmx: true);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await using var check = portal.ContextOf(portal.Initech);
        Assert.Null(await check.Invitations.Where(i => i.Id == foreign).Select(i => i.RevokedAt).SingleAsync());
    }

    [Fact]
    public async Task A_revoke_without_the_antiforgery_token_is_refused()
    {
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var (_, token) = await InviteAsync(admin, Unique("forged"));
        Guid id;
        await using (var db = portal.ContextOf(portal.Acme))
        {
            id = await db.Invitations.Where(i => i.TokenHash == Hash(token)).Select(i => i.Id).SingleAsync();
        }

        var forged = await admin.PostAsync($"/admin/members/invitations?handler=Revoke&id={id}", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await portal.ClientFor("acme").GetAsync($"/invite/{token}")).StatusCode);
    }

    private static async Task<(string Html, string Token)> InviteAsync(HttpClient admin, string email, string role = MemberRole.User)
    {
        var response = await admin.PostFormAsync("/admin/members", new Dictionary<string, string> { ["Invite.Email"] = email, ["Invite.Role"] = role }, "?handler=Invite", htmx: true);
        var html = await response.Content.ReadAsStringAsync();
        var link = InviteLink().Match(html);
        Assert.True(link.Success, html);
        return (html, link.Groups[1].Value);
    }

    private static string Unique(string name) => $"{name}-{Guid.NewGuid().ToString("N")[..6]}@acme.test";

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    [GeneratedRegex("/invite/([A-Za-z0-9_-]+)")]
    private static partial Regex InviteLink();

    [GeneratedRegex("data-invitation=\"([^\"]+)\"")]
    private static partial Regex PendingRow();
}
