using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using StreamSpace.Infrastructure.Features.Sso;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>
/// Issue 15 item 16: a tenant admin's issuer cannot make the server fetch addresses inside the platform's network and read
/// back what answered there (an internal port scan, cloud metadata).
/// </summary>
public sealed class IdentityAuthorityTests(IdentityAuthorityPortal portal) : IClassFixture<IdentityAuthorityPortal>
{
    private const string Rule = "StreamSpace does not contact loopback, link-local or private addresses for sign-in unless the platform operator allows them";

    [Fact]
    public async Task Testing_an_issuer_on_the_databases_loopback_port_is_refused_naming_the_rule_without_connecting()
    {
        var postgres = new NpgsqlConnectionStringBuilder(portal.Database.ConnectionString);
        var issuer = $"http://127.0.0.1:{postgres.Port}/";

        var html = await TestAsync(issuer);

        Assert.Contains(Rule, html, StringComparison.Ordinal);
        Assert.Contains("a loopback address (127.0.0.0/8)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("could not be reached", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saving_the_cloud_metadata_address_as_issuer_is_refused_and_saves_nothing()
    {
        var admin = await AdminAsync();

        using var saved = await admin.PostFormAsync("/admin/sso", Form("http://169.254.169.254/"), "?handler=Save");

        var html = await saved.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("a link-local address (169.254.0.0/16)", html, StringComparison.Ordinal);
        Assert.Contains(Rule, html, StringComparison.Ordinal);
        await using var db = portal.Database.CreateContext(Acme());
        Assert.False(await db.IdentityProviders.AnyAsync());
    }

    [Fact]
    public async Task A_host_name_that_resolves_to_loopback_is_refused_at_test_and_at_save()
    {
        var issuer = new UriBuilder(portal.Upstream.Issuer) { Host = "localhost" }.Uri.ToString();
        var admin = await AdminAsync();

        var tested = await TestAsync(issuer);
        using var saved = await admin.PostFormAsync("/admin/sso", Form(issuer), "?handler=Save");

        Assert.Contains("The issuer&#x27;s host localhost is a loopback address", tested, StringComparison.Ordinal);
        Assert.Contains(Rule, await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_stored_before_the_rule_cannot_make_the_sign_in_connect_to_its_loopback_issuer()
    {
        // Written straight to the database, as a provider saved by an older version (or a name that resolved elsewhere then) is.
        var directory = portal.Services.GetRequiredService<SsoDirectory>();
        await using (var db = portal.Database.CreateContext(Acme()))
        {
            var provider = IdentityProvider.Create(DateTimeOffset.UtcNow);
            provider.Change("Upstream", portal.Upstream.Issuer.ToString(), UpstreamIdentityProvider.ClientId, directory.Protect(UpstreamIdentityProvider.ClientSecret),
                ["openid", "email"], "groups", null, [], localPasswordsDisabled: false, DateTimeOffset.UtcNow);
            db.IdentityProviders.Add(provider);
            await db.SaveChangesAsync();
        }

        await directory.ReloadAsync(CancellationToken.None);
        using var browser = portal.ClientFor("acme");
        using var started = await browser.GetAsync("/sso/login");

        // Without the check the challenge fetches the provider's discovery document and redirects to its authorization endpoint.
        Assert.False(
            started.Headers.Location?.ToString().StartsWith(portal.Upstream.Issuer.ToString(), StringComparison.Ordinal) == true,
            $"the sign-in went to the loopback provider: {started.Headers.Location}");

        // The browser goes back to the sign-in page, which says the provider could not be reached.
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        Assert.StartsWith("/login?provider=unreachable", started.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public void A_network_the_operator_allows_lets_its_addresses_through_and_no_others()
    {
        var options = new SsoAuthorityOptions();
        options.AllowedAuthorityNetworks.Add("10.20.0.0/16");
        var addresses = new SsoAuthorityAddresses(Options.Create(options));

        Assert.Null(addresses.Refusal(IPAddress.Parse("10.20.3.4")));
        Assert.Equal("a private address (10.0.0.0/8)", addresses.Refusal(IPAddress.Parse("10.21.3.4")));
        Assert.Equal("a loopback address (127.0.0.0/8)", addresses.Refusal(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.Equal("a link-local address (169.254.0.0/16)", addresses.Refusal(IPAddress.Parse("64:ff9b::a9fe:a9fe")));
        Assert.Null(addresses.Refusal(IPAddress.Parse("93.184.215.14")));
    }

    private async Task<string> TestAsync(string issuer)
    {
        var admin = await AdminAsync();
        using var tested = await admin.PostFormAsync("/admin/sso", new Dictionary<string, string> { ["Form.Issuer"] = issuer }, "?handler=Test");
        return await tested.Content.ReadAsStringAsync();
    }

    private async Task<HttpClient> AdminAsync()
    {
        var admin = portal.ClientFor("acme");
        using var signedIn = await admin.SignInAsync("ada@acme.test", Passwords.Good);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return admin;
    }

    private static Dictionary<string, string> Form(string issuer) => new()
    {
        ["Form.DisplayName"] = "Upstream",
        ["Form.Issuer"] = issuer,
        ["Form.ClientId"] = UpstreamIdentityProvider.ClientId,
        ["Form.ClientSecret"] = UpstreamIdentityProvider.ClientSecret,
        ["Form.Scopes"] = "openid profile email",
        ["Form.GroupsClaim"] = "groups",
    };

    private TenantContext Acme()
    {
        var context = new TenantContext();
        context.Use(portal.Acme.Tenant!);
        return context;
    }
}
