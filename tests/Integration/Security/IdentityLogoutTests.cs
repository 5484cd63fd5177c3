using System.Net;
using StreamSpace.Tests.Integration.Admin;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>Issue 15 item 11: signing out ends the cookie itself, not only the browser's copy of it.</summary>
public sealed class IdentityLogoutTests(AdminPortal portal) : IClassFixture<AdminPortal>
{
    [Fact]
    public async Task A_copied_cookie_replayed_after_the_member_signed_out_is_refused()
    {
        var (_, email) = await portal.NewAcmeMemberAsync("copied");
        var browser = portal.ClientFor("acme");
        using var signedIn = await browser.SignInAsync(email, Passwords.Good);
        var copied = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("streamspace=", StringComparison.Ordinal)).Split(';')[0];
        using (var before = await ReplayAsync(copied))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var loggedOut = await browser.PostFormAsync("/sessions", new Dictionary<string, string>(), postTo: "/logout");
        Assert.Equal(HttpStatusCode.Redirect, loggedOut.StatusCode);

        using var replayed = await ReplayAsync(copied);
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.StartsWith("/login", replayed.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    /// <summary>The attacker's client: no cookie jar of its own, only the stolen header.</summary>
    private async Task<HttpResponseMessage> ReplayAsync(string cookie)
    {
        using var attacker = portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("http://acme.localhost"), AllowAutoRedirect = false, HandleCookies = false,
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sessions");
        request.Headers.Add("Cookie", cookie);
        return await attacker.SendAsync(request);
    }
}
