using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenIddict.Client.AspNetCore;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Sso;

/// <summary>Sign-in over plain http is allowed only by <c>Sso:AllowInsecureHttp</c>, never by the environment's name.</summary>
public sealed class SsoTransportSecurityTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public void Without_the_setting_the_sign_in_requires_https_and_a_secure_cookie_even_outside_production()
    {
        // PortalFactory runs in the Test environment, where the relaxation used to be switched on by the environment alone.
        var options = portal.Services.GetRequiredService<IOptionsMonitor<OpenIddictClientAspNetCoreOptions>>().CurrentValue;

        Assert.False(options.DisableTransportSecurityRequirement);
        Assert.Equal((CookieSecurePolicy.Always, SameSiteMode.None), (options.CookieBuilder.SecurePolicy, options.CookieBuilder.SameSite));
    }
}
