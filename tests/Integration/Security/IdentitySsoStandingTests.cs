using System.Net;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Infrastructure.Features.Sso;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Sso;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>Issue 15 item 11: what the upstream provider says on a sign-in ends older cookies, and a disabled member stays out.</summary>
public sealed class IdentitySsoStandingTests(SsoPortal portal) : IClassFixture<SsoPortal>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.ConfigureProviderAsync(portal.Acme, "Upstream");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_older_cookie_keeps_no_admin_rights_after_the_provider_took_them_away()
    {
        var olga = new UpstreamAccount("olga", "olga's upstream password", "user-olga", "olga@acme.test", "Olga", ["ops-admins"]);
        portal.Upstream.Enrol(olga);
        var olderCookies = new CookieContainer();
        using (var first = await portal.SignInThroughProviderAsync(SsoPortal.Browser(cookies: olderCookies), "acme", olga))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var older = SsoPortal.Browser(followRedirects: false, olderCookies);
        Assert.Equal(HttpStatusCode.OK, (await older.GetAsync(portal.Host("acme", "/admin/members"))).StatusCode);

        // The directory drops her from the admins; she signs in again elsewhere, and the provider says so.
        portal.Upstream.Enrol(olga with { Groups = ["contractors"] });
        using (var second = await portal.SignInThroughProviderAsync(SsoPortal.Browser(), "acme", olga))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        using var replayed = await older.GetAsync(portal.Host("acme", "/admin/members"));
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.StartsWith("/login", replayed.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disabled_member_signing_in_through_the_provider_is_refused_with_a_message_and_no_cookie()
    {
        var dave = new UpstreamAccount("dave", "dave's upstream password", "user-dave", "dave@acme.test", "Dave", ["staff"]);
        portal.Upstream.Enrol(dave);
        using (var first = await portal.SignInThroughProviderAsync(SsoPortal.Browser(), "acme", dave))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await using (var db = portal.Database.CreateContext(Acme()))
        {
            var member = await db.Users.SingleAsync(m => m.Email == dave.Email);
            member.Disable(DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        var cookies = new CookieContainer();
        using var refused = await portal.SignInThroughProviderAsync(SsoPortal.Browser(cookies: cookies), "acme", dave);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(TenantSso.DisabledMember), await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(cookies.GetCookies(portal.Host("acme", "/")), c => c.Name == "streamspace");
        await using var events = portal.Database.CreateContext(Acme());
        Assert.True(await events.AuditEvents.AnyAsync(e => e.Action == AuditActions.SignInFailed && e.Target == $"member/{dave.Email}"));
    }

    private TenantContext Acme()
    {
        var context = new TenantContext();
        context.Use(portal.Acme.Tenant!);
        return context;
    }
}
