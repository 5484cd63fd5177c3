using Microsoft.AspNetCore.Hosting;
using StreamSpace.Tests.Integration.Kubernetes;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>The session-app cookie behind TLS termination: <c>Secure</c> because the public URL is https.</summary>
public sealed class ProxySessionAppHttpsTests(ProxySessionAppHttpsTests.HttpsSessionAppPortal portal) : IClassFixture<ProxySessionAppHttpsTests.HttpsSessionAppPortal>
{
    [Fact]
    public async Task The_session_app_cookie_is_secure_when_the_public_url_is_https()
    {
        var setCookie = await ProxySessionAppTests.EnterSetCookieAsync(portal);

        Assert.Contains("secure", ProxySecureCookieTests.Attributes(setCookie));
    }

    public sealed class HttpsSessionAppPortal : SessionAppPortal
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ForwardedHeaders:PublicUrl", "https://localhost/");
        }
    }
}
