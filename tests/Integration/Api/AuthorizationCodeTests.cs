using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Api;

/// <summary>A configured public client with PKCE: a signed-in member authorizes it on the portal, the app redeems the code.</summary>
public sealed class AuthorizationCodeTests(AuthorizationCodeTests.PkcePortal portal) : IClassFixture<AuthorizationCodeTests.PkcePortal>
{
    private const string ClientId = "desk-app";
    private const string RedirectUri = "http://127.0.0.1:7777/callback";

    public sealed class PkcePortal : ApiPortal
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting($"Identity:PkceClients:{ClientId}:DisplayName", "Desk app");
            builder.UseSetting($"Identity:PkceClients:{ClientId}:RedirectUris:0", RedirectUri);
        }
    }

    [Fact]
    public async Task A_signed_in_member_gets_a_code_that_redeems_with_its_verifier_for_tokens_acting_as_that_member()
    {
        var carol = portal.ClientFor("acme");
        await carol.SignInAsync(ApiPortal.Carol, Passwords.Good);
        var (verifier, challenge) = Pkce();

        var code = await CodeAsync(carol, challenge);
        var tokens = await RedeemAsync(code, verifier);
        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
        var body = JsonDocument.Parse(await tokens.Content.ReadAsStringAsync()).RootElement;

        using var api = portal.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("access_token").GetString());
        var sessionId = await portal.CarolSessionAsync(Domain.Sessions.SessionState.Running);
        using var sessions = await api.GetAsync("/api/v1/sessions");
        Assert.Equal(HttpStatusCode.OK, sessions.StatusCode);
        Assert.Contains(sessionId.ToString("D"), await sessions.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        // Carol is no admin: the admin scope she asked for is not in her token.
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/members")).StatusCode);

        using var refreshed = await portal.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = ClientId, ["refresh_token"] = body.GetProperty("refresh_token").GetString()!,
        }));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    [Fact]
    public async Task A_code_redeemed_with_the_wrong_verifier_is_refused()
    {
        var carol = portal.ClientFor("acme");
        await carol.SignInAsync(ApiPortal.Carol, Passwords.Good);
        var (_, challenge) = Pkce();
        var code = await CodeAsync(carol, challenge);

        using var tokens = await RedeemAsync(code, Pkce().Verifier);
        Assert.Equal(HttpStatusCode.BadRequest, tokens.StatusCode);
        Assert.Contains("invalid_grant", await tokens.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_authorization_request_without_a_code_challenge_is_refused()
    {
        var carol = portal.ClientFor("acme");
        await carol.SignInAsync(ApiPortal.Carol, Passwords.Good);
        using var response = await carol.GetAsync(QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = ClientId, ["redirect_uri"] = RedirectUri, ["response_type"] = "code", ["scope"] = "sessions",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("code_challenge", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_uri_the_client_did_not_register_is_refused_without_redirecting()
    {
        var carol = portal.ClientFor("acme");
        await carol.SignInAsync(ApiPortal.Carol, Passwords.Good);
        using var response = await carol.GetAsync(AuthorizePath(Pkce().Challenge, "http://evil.test/callback"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task An_anonymous_authorization_request_is_sent_to_the_tenants_login_and_comes_back()
    {
        var anonymous = portal.ClientFor("acme");
        var path = AuthorizePath(Pkce().Challenge);
        using var response = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal("acme.localhost", location.Host);
        Assert.Equal("/login", location.AbsolutePath);
        Assert.Equal(path, QueryHelpers.ParseQuery(location.Query)["ReturnUrl"].ToString());
    }

    [Fact]
    public async Task Another_tenants_member_gets_no_code_on_this_tenants_host()
    {
        var bill = portal.ClientFor("initech");
        using var signedIn = await bill.SignInAsync(TwoTenantsPortal.InitechAdmin, Passwords.Good);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("streamspace=", StringComparison.Ordinal));

        // Bill's own cookie, carried to acme's host: the portal refuses to act in acme for him.
        using var acme = portal.ClientFor("acme");
        using var request = new HttpRequestMessage(HttpMethod.Get, AuthorizePath(Pkce().Challenge));
        request.Headers.Add("Cookie", cookie);
        using var response = await acme.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(RedirectUri, location.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("access_denied", query["error"].ToString());
        Assert.False(query.ContainsKey("code"));
    }

    private static string AuthorizePath(string challenge, string redirectUri = RedirectUri) =>
        QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = ClientId, ["redirect_uri"] = redirectUri, ["response_type"] = "code", ["scope"] = "sessions admin offline_access",
            ["code_challenge"] = challenge, ["code_challenge_method"] = "S256", ["state"] = "s1",
        });

    private static async Task<string> CodeAsync(HttpClient member, string challenge)
    {
        using var response = await member.GetAsync(AuthorizePath(challenge));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(RedirectUri, location.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("s1", query["state"].ToString());
        return query["code"].ToString();
    }

    private Task<HttpResponseMessage> RedeemAsync(string code, string verifier) =>
        portal.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = ClientId, ["code"] = code,
            ["redirect_uri"] = RedirectUri, ["code_verifier"] = verifier,
        }));

    private static (string Verifier, string Challenge) Pkce()
    {
        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (verifier, WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }
}
