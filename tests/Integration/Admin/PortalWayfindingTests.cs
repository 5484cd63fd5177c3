using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Admin;

/// <summary>What tells a person where they are and what just happened: crumbs, the marked navbar entry, messages after an action.</summary>
public sealed class PortalWayfindingTests(TwoTenantsPortal portal) : IClassFixture<TwoTenantsPortal>, IAsyncLifetime
{
    private const string Member = "mo@acme.test";
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _admin = portal.ClientFor("acme");
        await _admin.SignInAsync(TwoTenantsPortal.AcmeAdmin, Passwords.Good);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("/admin/members")]
    [InlineData("/admin/tiers")]
    [InlineData("/admin/templates")]
    [InlineData("/admin/templates/import")]
    [InlineData("/admin/templates/edit")]
    [InlineData("/admin/members/import")]
    [InlineData("/admin/sessions")]
    [InlineData("/admin/usage")]
    [InlineData("/admin/audit")]
    [InlineData("/admin/sso")]
    [InlineData("/admin/api-clients")]
    public async Task Every_admin_page_has_the_Administration_crumb(string path)
    {
        var html = await _admin.GetStringAsync(path);

        Assert.Contains("""<nav aria-label="breadcrumb"><ol class="breadcrumb"><li class="breadcrumb-item"><a href="/admin">Administration</a></li>""", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin/tiers", "Admin")]
    [InlineData("/admin", "Admin")]
    [InlineData("/catalog", "Catalog")]
    [InlineData("/sessions", "Sessions")]
    public async Task The_navbar_marks_the_area_of_the_current_page_and_only_it(string path, string area)
    {
        var html = await _admin.GetStringAsync(path);

        var marked = System.Text.RegularExpressions.Regex.Matches(html, """<a class="nav-link active" aria-current="page" href="[^"]*"><i class="bi [^"]*" aria-hidden="true"></i> (\w+)</a>""");
        Assert.Equal([area], marked.Select(m => m.Groups[1].Value));
    }

    [Fact]
    public async Task Every_page_starts_with_a_skip_to_content_link()
    {
        var html = await _admin.GetStringAsync("/catalog");

        Assert.Contains("""<a class="visually-hidden-focusable skip-link" href="#main">Skip to content</a>""", html, StringComparison.Ordinal);
        Assert.Contains("""id="main" tabindex="-1">""", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("acme")]
    [InlineData(null)]
    public async Task The_favicon_is_ours(string? tenant)
    {
        using var response = await portal.ClientFor(tenant).GetAsync("/favicon.ico");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/x-icon", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0, 0, 1, 0], (await response.Content.ReadAsByteArrayAsync())[..4]);
    }

    [Fact]
    public async Task An_audit_range_whose_From_is_after_its_To_says_so()
    {
        var html = await _admin.GetStringAsync("/admin/audit?from=2026-03-02T10:00&to=2026-03-01T10:00");

        Assert.Contains("""id="audit-range">"From" is later than "To", so no event can match.""", html, StringComparison.Ordinal);
        Assert.DoesNotContain("No events match", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saving_a_template_says_so_on_the_list_it_returns_to_once()
    {
        using var saved = await _admin.PostFormAsync("/admin/templates/edit", new Dictionary<string, string>
        {
            ["Draft.Name"] = "wayfinding-notes",
            ["Draft.DisplayName"] = "Notes",
            ["Draft.Category"] = "Productivity",
            ["Draft.Image"] = "lscr.io/linuxserver/hedgedoc:latest",
            ["Draft.Memory"] = "1Gi",
            ["Draft.Cpu"] = "500m",
            ["Draft.Ports"] = "http:3000",
            ["Draft.Capabilities"] = "network",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var list = await _admin.GetStringAsync(saved.Headers.Location!.ToString());
        Assert.Contains("""id="template-saved">Template wayfinding-notes created.</div>""", list, StringComparison.Ordinal);
        Assert.DoesNotContain("template-saved", await _admin.GetStringAsync("/admin/templates"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saving_the_sso_settings_says_so()
    {
        var admin = portal.ClientFor("initech");
        await admin.SignInAsync(TwoTenantsPortal.InitechAdmin, Passwords.Good);
        using var saved = await admin.PostFormAsync("/admin/sso", new Dictionary<string, string>
        {
            ["Form.DisplayName"] = "Upstream",
            ["Form.Issuer"] = "https://sso.example.com/realms/initech",
            ["Form.ClientId"] = "streamspace",
            ["Form.ClientSecret"] = "a client secret",
            ["Form.Scopes"] = "openid profile email",
            ["Form.GroupsClaim"] = "groups",
        }, "?handler=Save");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        Assert.Contains("""id="sso-saved">Single sign-on settings saved.</div>""", await admin.GetStringAsync("/admin/sso"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disabled_members_open_browser_lands_on_the_sign_in_page_saying_why()
    {
        await portal.AddMemberAsync(portal.Acme, Member);
        var member = portal.ClientFor("acme");
        await member.SignInAsync(Member, Passwords.Good);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync("/catalog")).StatusCode);
        await using (var db = portal.ContextOf(portal.Acme))
        {
            var id = await db.Users.Where(m => m.Email == Member).Select(m => m.Id).SingleAsync();
            await _admin.PostFormAsync("/admin/members", new Dictionary<string, string>(), $"?handler=Disable&id={id}");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/catalog");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var opened = await member.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        var login = await member.GetStringAsync(opened.Headers.Location!.ToString());
        Assert.Contains("an administrator of your organisation disabled your account", login, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_members_refused_admin_page_says_a_role_is_missing_not_to_sign_in_elsewhere()
    {
        await portal.AddMemberAsync(portal.Initech, "pat@initech.test");
        var member = portal.ClientFor("initech");
        await member.SignInAsync("pat@initech.test", Passwords.Good);

        using var refused = await member.GetAsync("/admin/tiers");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("This page is for administrators", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Sign in with an account of this organisation", html, StringComparison.Ordinal);
    }
}
