using Microsoft.AspNetCore.CookiePolicy;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace StreamSpace.Web.Proxies;

public static class ProxyExtensions
{
    /// <summary>Forwarded headers from the configured proxies only, and <c>Secure</c> on every cookie when the public URL is https.</summary>
    public static IServiceCollection AddProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersSettings>()
            .BindConfiguration(ForwardedHeadersSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, settings) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            if (!settings.Value.NamesProxies)
            {
                return;
            }

            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in settings.Value.Proxies())
            {
                options.KnownProxies.Add(proxy);
            }

            foreach (var network in settings.Value.Networks())
            {
                options.KnownIPNetworks.Add(network);
            }

            // Walk back through every trusted hop (a load balancer before the ingress); the first untrusted address is the client.
            options.ForwardLimit = null;
        });

        // The one place every cookie passes (auth, antiforgery, SSO correlation, the session-app cookie): behind TLS
        // termination the hop to Web may be plain http, so the request's scheme cannot decide.
        services.AddOptions<CookiePolicyOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, settings) =>
            options.Secure = settings.Value.PublicUrlIsHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.None);
        return services;
    }

    public static WebApplication UseProxies(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseCookiePolicy();
        return app;
    }
}
