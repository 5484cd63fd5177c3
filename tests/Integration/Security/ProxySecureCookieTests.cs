using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>
/// TLS ends at the ingress and the hop to Web is plain http without <c>X-Forwarded-Proto</c>: with an https
/// <c>ForwardedHeaders:PublicUrl</c> every cookie still carries <c>Secure</c>, so a browser never sends it over http.
/// </summary>
public sealed partial class ProxySecureCookieTests(ProxySecureCookieTests.HttpsPublicUrlPortal portal) : IClassFixture<ProxySecureCookieTests.HttpsPublicUrlPortal>
{
    private const string Admin = "ada@acme.test";

    [Fact]
    public async Task The_antiforgery_cookie_is_secure_when_the_public_url_is_https()
    {
        using var client = portal.PlainHttpClient();

        var page = await client.GetAsync("/login");

        var antiforgery = Assert.Single(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        Assert.Contains("secure", Attributes(antiforgery));
    }

    [Fact]
    public async Task The_sign_in_cookie_is_secure_when_the_public_url_is_https()
    {
        using var client = portal.PlainHttpClient();
        var page = await client.GetAsync("/login");
        var antiforgery = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        var token = AntiforgeryToken().Match(await page.Content.ReadAsStringAsync());
        Assert.True(token.Success, "No antiforgery token on /login");

        // By hand: a cookie container would (rightly) not send the Secure antiforgery cookie back over http.
        using var post = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = Admin,
                ["Password"] = Passwords.Good,
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            }),
        };
        post.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        var signIn = await client.SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var session = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("streamspace=", StringComparison.Ordinal));
        Assert.Contains("secure", Attributes(session));
    }

    internal static IReadOnlyList<string> Attributes(string setCookie) =>
        setCookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.Split('=')[0].ToLowerInvariant()).ToList();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    public sealed class HttpsPublicUrlPortal : PortalFactory
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await CreateTenantAsync("acme", Admin);
        }

        /// <summary>acme's portal over plain http, as the ingress forwards it; cookies are read from the headers, not kept.</summary>
        public HttpClient PlainHttpClient() => CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("http://acme.localhost"),
            AllowAutoRedirect = false,
            HandleCookies = false,
        });

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ForwardedHeaders:PublicUrl", "https://localhost/");
        }
    }
}
