using Microsoft.Extensions.Options;
using OpenIddict.Client;

namespace StreamSpace.Web.Sso;

/// <summary>Per-tenant upstream OpenID Connect (DESIGN §8): the OpenIddict client with registrations from the database.</summary>
public static class SsoExtensions
{
    public static IServiceCollection AddSso(this IServiceCollection services, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
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
                var aspNetCore = options.UseAspNetCore().EnableRedirectionEndpointPassthrough();
                if (!environment.IsProduction())
                {
                    aspNetCore.DisableTransportSecurityRequirement();

                    // Over plain http the default Secure; SameSite=None correlation cookie is dropped (ID2129).
                    aspNetCore.Configure(o =>
                    {
                        o.CookieBuilder.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                        o.CookieBuilder.SameSite = SameSiteMode.Lax;
                    });
                }
            });
        return services;
    }
}
