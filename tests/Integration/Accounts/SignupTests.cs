using System.Net;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Members;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Accounts;

public sealed class SignupTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Signing_up_creates_the_organisation_and_lands_signed_in_on_its_portal()
    {
        var response = await portal.ClientFor(null).SignUpAsync("Umbrella Corporation", "umbrella", "alice@umbrella.test", Passwords.Good);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var target = new Uri(response.Headers.GetValues("HX-Redirect").Single());
        Assert.Equal("umbrella.localhost", target.Host);
        Assert.Equal("/signin-ticket", target.AbsolutePath);

        var tenantClient = portal.ClientFor("umbrella");
        var redeemed = await tenantClient.GetAsync(target.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, redeemed.StatusCode);
        var home = await tenantClient.GetAsync("/");
        var html = await home.Content.ReadAsStringAsync();
        Assert.Contains("Welcome, alice@umbrella.test", html, StringComparison.Ordinal);
        Assert.Contains("Umbrella Corporation", html, StringComparison.Ordinal);

        await using var db = portal.Database.CreateContext();
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == "umbrella");
        var admin = await db.Users.IgnoreQueryFilters().SingleAsync(m => m.TenantId == tenant.Id);
        Assert.Equal(MemberRole.TenantAdmin, admin.Role);
        Assert.Equal(["free", "pro"], await db.Tiers.IgnoreQueryFilters().Where(t => t.TenantId == tenant.Id).OrderBy(t => t.Name).Select(t => t.Name).ToListAsync());
        var actions = await db.AuditEvents.IgnoreQueryFilters().Where(e => e.TenantId == tenant.Id).Select(e => e.Action).ToListAsync();
        Assert.Contains(AuditActions.TenantCreated, actions);
        Assert.Contains(AuditActions.MemberSignedUp, actions);
    }

    [Fact]
    public async Task Without_htmx_the_form_redirects_to_the_handover()
    {
        var response = await portal.ClientFor(null).SignUpAsync("Hooli", "hooli", "gavin@hooli.test", Passwords.Good, htmx: false);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://hooli.localhost/signin-ticket?ticket=", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "badorg", "a@b.test", Passwords.Good, "Enter your organisation")]
    [InlineData("Bad Id", "Bad_Id", "a@b.test", Passwords.Good, "Use lowercase letters")]
    [InlineData("Short", "ab", "a@b.test", Passwords.Good, "3 to 40 characters")]
    [InlineData("Reserved", "www", "a@b.test", Passwords.Good, "is reserved")]
    [InlineData("Reserved", "admin", "a@b.test", Passwords.Good, "is reserved")]
    [InlineData("Mail", "badmail", "not-an-email", Passwords.Good, "Enter an e-mail address")]
    [InlineData("Long mail", "longmail", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.test", Passwords.Good, "at most 254 characters")]
    [InlineData("Weak", "weakpass", "a@b.test", "short", "at least 10 characters")]
    [InlineData("Weak", "weakpass", "a@b.test", "aaaaaaaaaaaa", "different characters")]
    public async Task Bad_input_is_explained_inline_and_creates_nothing(string organisation, string tenantId, string email, string password, string message)
    {
        var response = await portal.ClientFor(null).SignUpAsync(organisation, tenantId, email, password);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("HX-Redirect"));
        Assert.StartsWith("<form id=\"signup-form\"", html.TrimStart(), StringComparison.Ordinal);
        Assert.Contains(message, html, StringComparison.OrdinalIgnoreCase);
        var slug = tenantId.ToLowerInvariant();
        await using var db = portal.Database.CreateContext();
        Assert.False(await db.Tenants.AnyAsync(t => t.Slug == slug));
    }

    [Fact]
    public async Task A_member_refused_after_the_tenant_row_was_written_rolls_the_tenant_back()
    {
        // The e-mail passes our format check but Identity refuses it as a user name, after the tenant insert.
        var response = await portal.ClientFor(null).SignUpAsync("Umlaut GmbH", "umlaut", "jürgen@umlaut.test", Passwords.Good);

        Assert.Contains("is invalid", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        await using var db = portal.Database.CreateContext();
        Assert.False(await db.Tenants.AnyAsync(t => t.Slug == "umlaut"));
    }

    [Fact]
    public async Task A_taken_tenant_id_is_refused_and_the_first_organisation_is_untouched()
    {
        await portal.ClientFor(null).SignUpAsync("Stark Industries", "stark", "tony@stark.test", Passwords.Good);

        var response = await portal.ClientFor(null).SignUpAsync("Stark Impostors", "stark", "evil@stark.test", Passwords.Good);

        Assert.Contains("\"stark\" is already taken", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        await using var db = portal.Database.CreateContext();
        Assert.Equal("Stark Industries", (await db.Tenants.SingleAsync(t => t.Slug == "stark")).DisplayName);
        Assert.Equal(1, await db.Users.IgnoreQueryFilters().CountAsync(m => m.Email == "tony@stark.test" || m.Email == "evil@stark.test"));
    }

    [Fact]
    public async Task Submitting_twice_at_once_creates_one_organisation()
    {
        var attempts = Enumerable.Range(0, 4)
            .Select(_ => portal.ClientFor(null).SignUpAsync("Wayne Enterprises", "wayne", "bruce@wayne.test", Passwords.Good))
            .ToList();
        var responses = await Task.WhenAll(attempts);

        Assert.Equal(1, responses.Count(r => r.Headers.Contains("HX-Redirect")));
        await using var db = portal.Database.CreateContext();
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == "wayne");
        Assert.Equal(1, await db.Users.IgnoreQueryFilters().CountAsync(m => m.TenantId == tenant.Id));
        Assert.Equal(2, await db.Tiers.IgnoreQueryFilters().CountAsync(t => t.TenantId == tenant.Id));
    }

    [Fact]
    public async Task The_same_email_may_belong_to_two_organisations()
    {
        var first = await portal.ClientFor(null).SignUpAsync("Cyberdyne", "cyberdyne", "sarah@both.test", Passwords.Good);
        var second = await portal.ClientFor(null).SignUpAsync("Tyrell", "tyrell", "sarah@both.test", Passwords.Good);

        Assert.True(first.Headers.Contains("HX-Redirect"));
        Assert.True(second.Headers.Contains("HX-Redirect"));
    }

    [Fact]
    public async Task The_tenant_id_is_checked_while_typing()
    {
        await portal.CreateTenantAsync("taken", "x@taken.test");
        var client = portal.ClientFor(null);

        var taken = await client.GetStringAsync("/signup?handler=CheckTenantId&Form.TenantId=taken");
        var free = await client.GetStringAsync("/signup?handler=CheckTenantId&Form.TenantId=brandnew");

        Assert.Contains("already taken", WebUtility.HtmlDecode(taken), StringComparison.Ordinal);
        Assert.Contains("http://brandnew.localhost/", free, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_signup_page_on_a_tenant_host_sends_you_to_the_bare_host()
    {
        await portal.CreateTenantAsync("elsewhere", "x@elsewhere.test");

        var response = await portal.ClientFor("elsewhere").GetAsync("/signup");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("http://localhost/signup", response.Headers.Location!.ToString());
    }
}
