using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Members;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Sso;

/// <summary>
/// A provider cannot lock an organisation out (issue 23 item 1): provider-only waits for a sign-in that worked, tenant
/// admins keep an audited password sign-in, and an unreachable provider gets a sign-in page that says so.
/// </summary>
public sealed class SsoLockoutTests(SsoPortal portal) : IClassFixture<SsoPortal>
{
    [Fact]
    public async Task Provider_only_is_refused_until_a_sign_in_through_the_provider_worked_then_admins_keep_an_audited_password_way_in()
    {
        var admin = await AdminAsync("acme", "ada@acme.test");
        using (var refused = await admin.PostFormAsync("/admin/sso", ProviderForm(portal.Upstream.Issuer.ToString(), providerOnly: true), "?handler=Save"))
        {
            Assert.NotEqual(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Contains("only after a sign-in through it has worked", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await using (var db = portal.Database.CreateContext())
        {
            Assert.False(await db.IdentityProviders.IgnoreQueryFilters().AnyAsync(p => p.TenantId == portal.Acme.Tenant!.Id && p.LocalPasswordsDisabled));
        }

        using (var saved = await admin.PostFormAsync("/admin/sso", ProviderForm(portal.Upstream.Issuer.ToString(), providerOnly: false), "?handler=Save"))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        var zoe = new UpstreamAccount("zoe", "zoe's upstream password", "user-zoe", "zoe@acme.test", "Zoe", ["staff"]);
        portal.Upstream.Enrol(zoe);
        using (var browser = SsoPortal.Browser())
        {
            using var signedIn = await portal.SignInThroughProviderAsync(browser, "acme", zoe);
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        }

        using (var saved = await admin.PostFormAsync("/admin/sso", ProviderForm(portal.Upstream.Issuer.ToString(), providerOnly: true), "?handler=Save"))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        // The sign-in page now offers only the provider, and a small administrators' way in.
        var login = await (await SsoPortal.Browser().GetAsync(portal.Host("acme", "/login"))).Content.ReadAsStringAsync();
        Assert.DoesNotContain("id=\"password\"", login, StringComparison.Ordinal);
        Assert.Contains("id=\"administrator-sign-in\"", login, StringComparison.Ordinal);

        // A tenant admin signs in with their password there, and it is audited as such.
        var breakGlass = SsoPortal.Browser(followRedirects: false);
        breakGlass.BaseAddress = portal.Host("acme", "/");
        using (var signedIn = await breakGlass.PostFormAsync("/login?administrator=true", new Dictionary<string, string> { ["Email"] = "ada@acme.test", ["Password"] = Passwords.Good, ["Administrator"] = "true" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await breakGlass.GetAsync("/admin/sso")).StatusCode);

        // A member who is not an administrator does not get in that way, and the attempt is audited.
        await portal.AddMemberAsync(portal.Acme, "max@acme.test", MemberRole.User);
        var member = SsoPortal.Browser(followRedirects: false);
        member.BaseAddress = portal.Host("acme", "/");
        using (var refused = await member.PostFormAsync("/login?administrator=true", new Dictionary<string, string> { ["Email"] = "max@acme.test", ["Password"] = Passwords.Good, ["Administrator"] = "true" }))
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("the password sign-in is for its administrators", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await member.GetAsync("/sessions")).StatusCode);

        // Without the administrators' switch, a password is refused for everyone, as before.
        var plain = SsoPortal.Browser(followRedirects: false);
        plain.BaseAddress = portal.Host("acme", "/");
        using (var refused = await plain.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "ada@acme.test", ["Password"] = Passwords.Good })))
        {
            Assert.NotEqual(HttpStatusCode.Redirect, refused.StatusCode);
        }

        await using var check = portal.Database.CreateContext();
        var events = await check.AuditEvents.IgnoreQueryFilters().Where(e => e.TenantId == portal.Acme.Tenant!.Id).Where(e => e.Action == AuditActions.SignInPasswordBreakGlass || e.Action == AuditActions.SignInFailed).ToListAsync();
        Assert.Contains(events, e => e.Action == AuditActions.SignInPasswordBreakGlass && e.Actor == "ada@acme.test");
        Assert.Contains(events, e => e.Action == AuditActions.SignInFailed && e.Actor == "max@acme.test" && e.Details!.Contains("not an administrator", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_provider_sends_the_browser_back_to_a_sign_in_page_that_says_so_instead_of_an_openiddict_error()
    {
        var admin = await AdminAsync("initech", "bill@initech.test");
        var dead = $"http://127.0.0.1:{ClosedPort()}/realms/gone/";
        using (var saved = await admin.PostFormAsync("/admin/sso", ProviderForm(dead, providerOnly: false), "?handler=Save"))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        using var browser = SsoPortal.Browser();
        using var response = await browser.GetAsync(portal.Host("initech", "/sso/login?returnUrl=/sessions"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/login", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("Upstream could not be reached", html, StringComparison.Ordinal);
        Assert.DoesNotContain("ID2170", html, StringComparison.Ordinal);
        Assert.DoesNotContain("server_error", html, StringComparison.Ordinal);
        Assert.Contains("id=\"password\"", html, StringComparison.Ordinal);
    }

    private async Task<HttpClient> AdminAsync(string tenant, string email)
    {
        var admin = SsoPortal.Browser(followRedirects: false);
        admin.BaseAddress = portal.Host(tenant, "/");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SignInAsync(email, Passwords.Good)).StatusCode);
        return admin;
    }

    private static Dictionary<string, string> ProviderForm(string issuer, bool providerOnly)
    {
        var form = new Dictionary<string, string>
        {
            ["Form.DisplayName"] = "Upstream",
            ["Form.Issuer"] = issuer,
            ["Form.ClientId"] = UpstreamIdentityProvider.ClientId,
            ["Form.ClientSecret"] = UpstreamIdentityProvider.ClientSecret,
            ["Form.Scopes"] = "openid profile email groups",
            ["Form.GroupsClaim"] = "groups",
            ["Form.AdminGroup"] = "ops-admins",
        };
        if (providerOnly)
        {
            form["Form.LocalPasswordsDisabled"] = "true";
        }

        return form;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
