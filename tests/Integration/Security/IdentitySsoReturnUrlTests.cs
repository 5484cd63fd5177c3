using System.Net;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Infrastructure.Features.Sso;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Sso;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>Issue 15 item 7: the page an SSO sign-in returns to is a path on this site, whatever <c>returnUrl</c> says.</summary>
public sealed class IdentitySsoReturnUrlTests(SsoPortal portal) : IClassFixture<SsoPortal>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(portal.Acme.Tenant!);
        await scope.ServiceProvider.GetRequiredService<TenantSso>().SaveAsync(
            new SsoSettings("Upstream", portal.Upstream.Issuer.ToString(), UpstreamIdentityProvider.ClientId, UpstreamIdentityProvider.ClientSecret,
                ["openid", "email", "profile"], "groups", null, [], false),
            CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("/\\evil.example")]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("/\t/evil.example")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("/%5Cevil.example/")]
    public async Task An_sso_sign_in_cannot_be_made_to_redirect_to_another_site(string returnUrl)
    {
        var account = new UpstreamAccount("rita-" + Guid.NewGuid().ToString("N")[..8], "rita's password", "rita-" + Guid.NewGuid().ToString("N")[..6], $"rita{Guid.NewGuid():N}@acme.test", "Rita", []);
        portal.Upstream.Enrol(account);

        var location = await SignInAndReturnAsync(account, returnUrl);

        Assert.False(location.IsAbsoluteUri && location.Host != "acme.localhost", $"redirected to {location}");
        var path = location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
        Assert.True(path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("/\\", StringComparison.Ordinal)
            && !path.Any(char.IsControl), $"redirected to {location}");
    }

    [Fact]
    public async Task An_sso_sign_in_returns_to_a_page_of_this_site()
    {
        var account = new UpstreamAccount("sam", "sam's password", "sam-1", "sam@acme.test", "Sam", []);
        portal.Upstream.Enrol(account);

        Assert.Equal("/sessions?view=all", (await SignInAndReturnAsync(account, "/sessions?view=all")).OriginalString);
    }

    /// <summary>Signs in through the provider and answers where the portal's callback sends the browser.</summary>
    private async Task<Uri> SignInAndReturnAsync(UpstreamAccount account, string returnUrl)
    {
        var cookies = new CookieContainer();
        using var browser = SsoPortal.Browser(followRedirects: false, cookies);
        var toProvider = (await browser.GetAsync(portal.Host("acme", "/sso/login?returnUrl=" + Uri.EscapeDataString(returnUrl)))).Headers.Location!;
        var toLoginForm = (await browser.GetAsync(toProvider)).Headers.Location!;
        using var loginForm = await browser.GetAsync(new Uri(toProvider, toLoginForm));
        using var signedIn = await SsoPortal.SubmitUpstreamLoginAsync(browser, loginForm, account);
        var callback = (await browser.GetAsync(new Uri(toProvider, signedIn.Headers.Location!))).Headers.Location!;
        using var response = await browser.GetAsync(callback);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location!;
    }
}
