using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Members;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Tenancy;

public sealed class TenantRoutingTests(TwoTenantsPortal portal) : IClassFixture<TwoTenantsPortal>
{
    [Fact]
    public async Task Claims_that_name_a_tenant_by_slug_with_another_tenants_id_name_no_tenant()
    {
        using var scope = portal.Services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<TenantStore>();
        var acme = portal.Acme.Tenant!;
        var other = portal.Initech.Tenant!;

        Assert.Equal(acme.Id, (await store.FindClaimedAsync("acme", acme.Id.ToString("D"), CancellationToken.None))?.Id);
        Assert.Equal(acme.Id, (await store.FindClaimedAsync("acme", acme.Id.ToString("D").ToUpperInvariant(), CancellationToken.None))?.Id);
        Assert.Null(await store.FindClaimedAsync("acme", other.Id.ToString("D"), CancellationToken.None));
        Assert.Null(await store.FindClaimedAsync("acme", "not-a-guid", CancellationToken.None));
        Assert.Null(await store.FindClaimedAsync(null, acme.Id.ToString("D"), CancellationToken.None));
        Assert.Null(await store.FindClaimedAsync("nosuchorg", acme.Id.ToString("D"), CancellationToken.None));
    }

    [Fact]
    public async Task An_unknown_tenant_host_answers_404_with_a_page_that_says_so()
    {
        var response = await portal.ClientFor("nosuchorg").GetAsync("/login");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("There is no organisation \"nosuchorg\"", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_tenant_path_prefix_answers_404()
    {
        var response = await portal.ClientFor(null).GetAsync("/t/nosuchorg/login");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_path_prefix_resolves_the_tenant_and_its_links_keep_the_prefix()
    {
        var response = await portal.ClientFor(null).GetAsync("/t/acme/login");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("acme Inc.", html, StringComparison.Ordinal);
        Assert.Contains("action=\"/t/acme/login\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_signs_in_through_the_path_prefix()
    {
        var client = portal.ClientFor(null);
        var signIn = await client.PostFormAsync("/t/acme/login", new Dictionary<string, string> { ["Email"] = TwoTenantsPortal.AcmeAdmin, ["Password"] = Passwords.Good });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        var home = await client.GetAsync("/t/acme/");
        Assert.Contains("Welcome", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_prefix_sign_in_cookie_is_not_sent_to_another_tenants_path()
    {
        var client = portal.ClientFor(null);
        await client.PostFormAsync("/t/acme/login", new Dictionary<string, string> { ["Email"] = TwoTenantsPortal.AcmeAdmin, ["Password"] = Passwords.Good });

        var response = await client.GetAsync("/t/initech/catalog");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/t/initech/login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_cookie_presented_to_another_tenant_answers_403()
    {
        var acme = portal.ClientFor("acme");
        var signIn = await acme.SignInAsync(TwoTenantsPortal.AcmeAdmin, Passwords.Good);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("streamspace=", StringComparison.Ordinal)).Split(';')[0];

        using var request = new HttpRequestMessage(HttpMethod.Get, "/catalog");
        request.Headers.Add("Cookie", cookie);
        var response = await portal.ClientFor("initech").SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Not allowed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_tenants_session_id_answers_404()
    {
        var client = portal.ClientFor("acme");
        await client.SignInAsync(TwoTenantsPortal.AcmeAdmin, Passwords.Good);

        var response = await client.GetAsync($"/sessions/{portal.InitechSession}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_owner_sees_their_session_by_id()
    {
        var client = portal.ClientFor("initech");
        await client.SignInAsync(TwoTenantsPortal.InitechAdmin, Passwords.Good);

        var response = await client.GetAsync($"/sessions/{portal.InitechSession}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("initech-xterm", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Portal_pages_need_a_signed_in_member()
    {
        var response = await portal.ClientFor("acme").GetAsync("/catalog");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://acme.localhost/login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_pages_are_for_tenant_admins_and_platform_pages_for_operators()
    {
        await portal.AddMemberAsync(portal.Acme, "ed@acme.test");

        var user = portal.ClientFor("acme");
        await user.SignInAsync("ed@acme.test", Passwords.Good);
        var admin = portal.ClientFor("acme");
        await admin.SignInAsync(TwoTenantsPortal.AcmeAdmin, Passwords.Good);

        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/catalog")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/platform")).StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("nosuchorg")]
    public async Task Health_endpoints_answer_outside_tenant_resolution(string? host)
    {
        var client = portal.ClientFor(host);

        var live = await client.GetAsync("/healthz/live");
        var ready = await client.GetAsync("/healthz/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", report.RootElement.GetProperty("entries").GetProperty("postgresql").GetProperty("status").GetString());
    }
}
