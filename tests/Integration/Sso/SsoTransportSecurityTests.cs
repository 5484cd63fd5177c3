using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenIddict.Client.AspNetCore;
using OpenIddict.Server.AspNetCore;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Sso;

/// <summary>Plain http is allowed only by <c>Identity:AllowInsecureHttp</c>, never by the environment's name.</summary>
public sealed class SsoTransportSecurityTests(SsoTransportSecurityTests.StrictPortal portal) : IClassFixture<SsoTransportSecurityTests.StrictPortal>
{
    [Fact]
    public void Without_the_setting_the_token_server_and_the_sign_in_require_https_and_a_secure_cookie_even_outside_production()
    {
        // The portal runs in the Test environment, where the relaxation used to be switched on by the environment alone.
        var client = portal.Services.GetRequiredService<IOptionsMonitor<OpenIddictClientAspNetCoreOptions>>().CurrentValue;
        var server = portal.Services.GetRequiredService<IOptionsMonitor<OpenIddictServerAspNetCoreOptions>>().CurrentValue;

        Assert.False(client.DisableTransportSecurityRequirement);
        Assert.False(server.DisableTransportSecurityRequirement);
        Assert.Equal((CookieSecurePolicy.Always, SameSiteMode.None), (client.CookieBuilder.SecurePolicy, client.CookieBuilder.SameSite));
    }

    [Fact]
    public async Task Without_the_setting_the_token_endpoint_refuses_plain_http()
    {
        using var http = portal.CreateClient();
        var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "nobody",
            ["client_secret"] = "nothing",
        }));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ID2083", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public sealed class StrictPortal : PortalFactory
    {
        protected override bool AllowsInsecureHttp => false;
    }
}
