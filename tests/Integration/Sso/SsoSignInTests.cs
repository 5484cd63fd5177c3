using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Members;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.LocalRuntime;
using StreamSpace.Tests.Integration.Observability;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Support;
using StreamSpace.Infrastructure.Features.Sso;

namespace StreamSpace.Tests.Integration.Sso;

/// <summary>Sign-in through a tenant's upstream provider, added, changed and removed while the Web app runs.</summary>
public sealed class SsoSignInTests(SsoPortal portal) : IClassFixture<SsoPortal>
{
    [Fact]
    public async Task A_provider_added_at_runtime_signs_members_in_with_mapped_role_and_tier_and_stops_when_removed()
    {
        var admin = SsoPortal.Browser(followRedirects: false);
        admin.BaseAddress = portal.Host("acme", "/");
        await admin.SignInAsync("ada@acme.test", Passwords.Good);

        // The provider's page reports a wrong issuer in words before anything is saved.
        using (var test = await admin.PostFormAsync("/admin/sso", new Dictionary<string, string> { ["Form.Issuer"] = portal.Upstream.Issuer + "nowhere/" }, "?handler=Test"))
        {
            var html = await test.Content.ReadAsStringAsync();
            Assert.Contains("answered 404", html, StringComparison.Ordinal);
        }

        using (var saved = await admin.PostFormAsync("/admin/sso", ProviderForm(), "?handler=Save"))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        using (var test = await admin.PostFormAsync("/admin/sso", new Dictionary<string, string> { ["Form.Issuer"] = portal.Upstream.Issuer.ToString() }, "?handler=Test"))
        {
            var html = await test.Content.ReadAsStringAsync();
            var start = html.IndexOf("id=\"sso-test\"", StringComparison.Ordinal);
            Assert.True(html.Contains("discovery document looks right.", StringComparison.Ordinal), start < 0 ? "no test result" : html[start..Math.Min(html.Length, start + 600)]);
        }

        var login = await (await SsoPortal.Browser().GetAsync(portal.Host("acme", "/login"))).Content.ReadAsStringAsync();
        Assert.Contains("Sign in with Upstream", login, StringComparison.Ordinal);

        // First sign-in: Eve is created just in time, an admin on the pro tier.
        var eve = new UpstreamAccount("eve", "eve's upstream password", "user-1", "eve@acme.test", "Eve", ["staff", "ops-admins"]);
        portal.Upstream.Enrol(eve);
        await SignInThroughProviderAsync(eve);
        Assert.Equal((MemberRole.TenantAdmin, "pro"), await RoleAndTierAsync("eve@acme.test"));

        // Later sign-in: the groups changed upstream, and so do role and tier; still one member.
        portal.Upstream.Enrol(eve with { Groups = ["contractors"] });
        await SignInThroughProviderAsync(eve);
        Assert.Equal((MemberRole.User, "free"), await RoleAndTierAsync("eve@acme.test"));

        await using (var db = portal.Database.CreateContext())
        {
            Assert.Equal(1, await db.Users.IgnoreQueryFilters().CountAsync(m => m.Email == "eve@acme.test"));
            Assert.True(await db.AuditEvents.IgnoreQueryFilters().AnyAsync(e => e.Action == AuditActions.SsoConfigured));
            Assert.False(await db.AuditEvents.IgnoreQueryFilters().AnyAsync(e => e.Details != null && e.Details.Contains(UpstreamIdentityProvider.ClientSecret)));
        }

        // Removed: the login page no longer offers it and its sign-in endpoint is gone, without a restart.
        using (var removed = await admin.PostFormAsync("/admin/sso", new Dictionary<string, string>(), "?handler=Remove"))
        {
            Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        }

        var after = await (await SsoPortal.Browser().GetAsync(portal.Host("acme", "/login"))).Content.ReadAsStringAsync();
        Assert.DoesNotContain("Sign in with Upstream", after, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SsoPortal.Browser().GetAsync(portal.Host("acme", "/sso/login"))).StatusCode);
    }

    [Fact]
    public async Task Another_tenants_callback_replayed_on_this_host_is_refused_by_its_state()
    {
        await ConfigureDirectlyAsync(portal.Initech.Tenant!, "initech-upstream");
        var mallory = new UpstreamAccount("mallory", "mallory's password", "user-9", "mallory@initech.test", "Mallory", ["ops-admins"]);
        portal.Upstream.Enrol(mallory);

        // Start on initech, sign in at the provider, stop at its answer, and deliver it to acme's host with initech's cookies.
        var cookies = new CookieContainer();
        using var browser = SsoPortal.Browser(followRedirects: false, cookies);
        var toProvider = (await browser.GetAsync(portal.Host("initech", "/sso/login"))).Headers.Location!;
        var toLoginForm = (await browser.GetAsync(toProvider)).Headers.Location!;
        using var loginForm = await browser.GetAsync(new Uri(toProvider, toLoginForm));
        using var signedIn = await SsoPortal.SubmitUpstreamLoginAsync(browser, loginForm, mallory);
        var callback = (await browser.GetAsync(new Uri(toProvider, signedIn.Headers.Location!))).Headers.Location!;
        Assert.StartsWith(portal.Host("initech", "/sso/callback").ToString(), callback.ToString(), StringComparison.Ordinal);

        foreach (Cookie cookie in cookies.GetCookies(portal.Host("initech", "/")))
        {
            cookies.Add(portal.Host("acme", "/"), new Cookie(cookie.Name, cookie.Value, "/"));
        }

        var forged = new UriBuilder(callback) { Host = "acme.localhost" }.Uri;
        using var response = await browser.GetAsync(forged);

        // The state was issued by initech's host: OpenIddict refuses it on acme's before the portal sees a principal.
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("ID2088", body, StringComparison.Ordinal);
        await using var db = portal.Database.CreateContext();
        Assert.False(await db.Users.IgnoreQueryFilters().AnyAsync(m => m.Email == "mallory@initech.test"));
    }

    [Fact]
    public async Task A_sign_in_started_on_this_host_for_another_tenants_registration_is_refused_by_the_registration_check()
    {
        await ConfigureDirectlyAsync(portal.Initech.Tenant!, "initech-upstream");
        var trent = new UpstreamAccount("trent", "trent's password", "user-7", "trent@initech.test", "Trent", ["ops-admins"]);
        portal.Upstream.Enrol(trent);

        // A state minted on acme's host naming initech's registration: OpenIddict finds nothing wrong with the answer it brings back.
        using var browser = SsoPortal.Browser();
        using var loginForm = await browser.GetAsync(portal.ForeignChallenge("acme", SsoRegistration.RegistrationIdOf(portal.Initech.Tenant!.Id)));
        using var response = await SsoPortal.SubmitUpstreamLoginAsync(browser, loginForm, trent);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(portal.Host("acme", "/sso/callback").GetLeftPart(UriPartial.Path), response.RequestMessage!.RequestUri!.GetLeftPart(UriPartial.Path));
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("<p class=\"alert alert-danger\" role=\"alert\" id=\"sso-refusal\">This sign-in was started for another organisation.</p>", body, StringComparison.Ordinal);
        await using var db = portal.Database.CreateContext();
        Assert.False(await db.Users.IgnoreQueryFilters().AnyAsync(m => m.Email == "trent@initech.test"));
    }

    [Fact]
    public async Task A_sign_in_through_the_provider_counts_in_the_logins_metric_as_an_sso_sign_in()
    {
        await ConfigureDirectlyAsync(portal.Acme.Tenant!, "Upstream");
        var walt = new UpstreamAccount("walt", "walt's upstream password", "user-5", "walt@acme.test", "Walt", ["staff"]);
        portal.Upstream.Enrol(walt);
        var before = await ScrapeAsync();

        await SignInThroughProviderAsync(walt);

        var after = await ScrapeAsync();
        Assert.Equal(1, SsoLogins(after, "succeeded") - SsoLogins(before, "succeeded"));
        Assert.Equal(SsoLogins(before, "failed"), SsoLogins(after, "failed"));
        Assert.Equal(PasswordLogins(before), PasswordLogins(after));
    }

    [Fact]
    public async Task A_provider_saved_by_another_replica_is_picked_up_by_the_poll()
    {
        var directory = portal.Services.GetRequiredService<SsoDirectory>();
        var tenant = await portal.CreateTenantAsync("globex", "gus@globex.test");

        // Written straight to the database, as another Web replica would: this process learns of it only by polling.
        await using (var db = portal.Database.CreateContext(Tenant(tenant.Tenant!)))
        {
            var provider = StreamSpace.Infrastructure.Identity.IdentityProvider.Create(DateTimeOffset.UtcNow);
            provider.Change("Globex SSO", portal.Upstream.Issuer.ToString(), UpstreamIdentityProvider.ClientId, directory.Protect(UpstreamIdentityProvider.ClientSecret),
                ["openid", "email", "profile"], "groups", null, [], localPasswordsDisabled: true, DateTimeOffset.UtcNow);
            db.IdentityProviders.Add(provider);
            await db.SaveChangesAsync();
        }

        await Eventually.TrueAsync(() => directory.ForTenant(tenant.Tenant!.Id) is not null, "the poll loaded globex's provider");
        var login = await (await SsoPortal.Browser().GetAsync(portal.Host("globex", "/login"))).Content.ReadAsStringAsync();
        Assert.Contains("Sign in with Globex SSO", login, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"password\"", login, StringComparison.Ordinal);
    }

    private Dictionary<string, string> ProviderForm() => new()
    {
        ["Form.DisplayName"] = "Upstream",
        ["Form.Issuer"] = portal.Upstream.Issuer.ToString(),
        ["Form.ClientId"] = UpstreamIdentityProvider.ClientId,
        ["Form.ClientSecret"] = UpstreamIdentityProvider.ClientSecret,
        ["Form.Scopes"] = "openid profile email groups",
        ["Form.GroupsClaim"] = "groups",
        ["Form.AdminGroup"] = "ops-admins",
        ["Form.TierGroups"] = "staff=pro",
    };

    private async Task SignInThroughProviderAsync(UpstreamAccount account)
    {
        using var browser = SsoPortal.Browser();
        using var loginForm = await browser.GetAsync(portal.Host("acme", "/sso/login?returnUrl=/sessions"));
        using var response = await SsoPortal.SubmitUpstreamLoginAsync(browser, loginForm, account);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} at {response.RequestMessage?.RequestUri}: {body}");
        Assert.Equal(portal.Host("acme", "/sessions"), response.RequestMessage!.RequestUri);
    }

    /// <summary>The Web app's <c>/metrics</c>, over the same socket as the browser (Web serves it on its own port here, to the scrape token).</summary>
    private async Task<MetricsScrape> ScrapeAsync()
    {
        using var client = SsoPortal.Browser();
        client.DefaultRequestHeaders.Authorization = new("Bearer", PortalFactory.MetricsScrapeToken);
        return new MetricsScrape(await client.GetStringAsync(new Uri($"http://localhost:{portal.Port}/metrics")));
    }

    private static double SsoLogins(MetricsScrape scrape, string result) =>
        scrape.Value("streamspace_logins_total", ("tenant", "acme"), ("method", "sso"), ("result", result)) ?? 0;

    private static double PasswordLogins(MetricsScrape scrape) =>
        scrape.Value("streamspace_logins_total", ("tenant", "acme"), ("method", "password"), ("result", "succeeded")) ?? 0;

    private async Task<(string Role, string? Tier)> RoleAndTierAsync(string email)
    {
        await using var db = portal.Database.CreateContext(Tenant(portal.Acme.Tenant!));
        var member = await db.Users.SingleAsync(m => m.Email == email);
        var tier = await db.Tiers.Where(t => t.Id == member.TierId).Select(t => t.Name).SingleOrDefaultAsync();
        return (member.Role, tier);
    }

    private async Task ConfigureDirectlyAsync(StreamSpace.Domain.Tenants.Tenant tenant, string name)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenant);
        await scope.ServiceProvider.GetRequiredService<StreamSpace.Infrastructure.Features.Sso.TenantSso>().SaveAsync(
            new StreamSpace.Infrastructure.Features.Sso.SsoSettings(name, portal.Upstream.Issuer.ToString(), UpstreamIdentityProvider.ClientId,
                UpstreamIdentityProvider.ClientSecret, ["openid", "email", "profile", "groups"], "groups", "ops-admins", [], false),
            CancellationToken.None);
    }

    private static TenantContext Tenant(StreamSpace.Domain.Tenants.Tenant tenant)
    {
        var context = new TenantContext();
        context.Use(tenant);
        return context;
    }
}
