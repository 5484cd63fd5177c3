using System.Net;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Accounts;

/// <summary>An htmx action after the sign-in cookie has gone: htmx is sent to the login page instead of swapping it into the row.</summary>
public sealed class ExpiredSignInTests(ExpiredSignInTests.Portal portal) : IClassFixture<ExpiredSignInTests.Portal>
{
    [Fact]
    public async Task An_htmx_request_without_a_sign_in_gets_HX_Redirect_to_the_login_page_returning_to_the_page_it_came_from()
    {
        var client = portal.ClientFor("acme");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/admin/tiers?handler=Edit&id={Guid.NewGuid()}");
        request.Headers.Add("HX-Request", "true");
        request.Headers.Add("HX-Current-URL", "http://acme.localhost/admin/tiers?sort=name");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("/login?ReturnUrl=%2Fadmin%2Ftiers%3Fsort%3Dname", response.Headers.GetValues("HX-Redirect").Single().Replace("http://acme.localhost", "", StringComparison.Ordinal));
        Assert.DoesNotContain("<nav", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_htmx_request_naming_another_site_as_its_page_returns_to_the_portal_home()
    {
        var client = portal.ClientFor("acme");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/tiers");
        request.Headers.Add("HX-Request", "true");
        request.Headers.Add("HX-Current-URL", "https://evil.example/phish");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.EndsWith("/login?ReturnUrl=%2F", response.Headers.GetValues("HX-Redirect").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_request_without_a_sign_in_is_still_redirected_to_the_login_page()
    {
        var response = await portal.ClientFor("acme").GetAsync(new Uri("/admin/tiers", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/login?ReturnUrl=%2Fadmin%2Ftiers", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    public sealed class Portal : PortalFactory
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await CreateTenantAsync("acme", "ada@acme.test");
        }
    }
}
