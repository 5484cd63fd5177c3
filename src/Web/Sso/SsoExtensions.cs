using Microsoft.Extensions.Options;
using OpenIddict.Client;
using OpenIddict.Client.AspNetCore;
using StreamSpace.Web.Identity;

namespace StreamSpace.Web.Sso;

/// <summary>Per-tenant upstream OpenID Connect (DESIGN §8): the OpenIddict client with registrations from the database.</summary>
public static class SsoExtensions
{
    public static IServiceCollection AddSso(this IServiceCollection services)
    {
        services.AddOptions<SsoOptions>().BindConfiguration(SsoOptions.Section);
        services.AddSingleton<SsoRegistrations>();
        services.AddSingleton<IConfigureOptions<OpenIddictClientOptions>>(sp => sp.GetRequiredService<SsoRegistrations>());
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictClientOptions>>(sp => sp.GetRequiredService<SsoRegistrations>());
        services.AddHostedService<SsoDirectoryPoll>();
        services.AddOpenIddict()
            .AddClient(options =>
            {
                options.AllowAuthorizationCodeFlow();

                // Needed even with no provider yet (else ID0356); each registration adds its own redirect URI too.
                options.SetRedirectionEndpointUris(SsoRegistrations.CallbackPath.TrimStart('/'));
                options.UseSystemNetHttp();
                options.UseAspNetCore().EnableRedirectionEndpointPassthrough();
            });

        // After OpenIddict's own configuration, so this primary handler is the one its clients keep.
        services.AddSingleton<IConfigureOptions<Microsoft.Extensions.Http.HttpClientFactoryOptions>, SsoAuthorityHttpClients>();

        // An explicit setting rather than the environment's name: make run and the E2E harness run Production over http.
        services.AddOptions<OpenIddictClientAspNetCoreOptions>().Configure<IOptions<IdentityTransportOptions>>((aspNetCore, transport) =>
        {
            if (transport.Value.AllowInsecureHttp)
            {
                aspNetCore.DisableTransportSecurityRequirement = true;

                // Over plain http the default Secure; SameSite=None correlation cookie is dropped (ID2129).
                aspNetCore.CookieBuilder.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                aspNetCore.CookieBuilder.SameSite = SameSiteMode.Lax;
            }
        });
        return services;
    }
}
