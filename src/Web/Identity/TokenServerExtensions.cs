using Microsoft.Extensions.Options;
using OpenIddict.Server;
using StreamSpace.Infrastructure.Identity;

namespace StreamSpace.Web.Identity;

/// <summary>StreamSpace as an identity provider for its own REST API and CLI (DESIGN §8): the OpenIddict server and validation.</summary>
public static class TokenServerExtensions
{
    public const string TokenPath = "/connect/token";

    public static IServiceCollection AddTokenServer(this IServiceCollection services, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        services.AddSingleton<TokenServerKeys>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>>(sp => sp.GetRequiredService<TokenServerKeys>());
        services.AddSingleton<IConfigureOptions<OpenIddict.Client.OpenIddictClientOptions>>(sp => sp.GetRequiredService<TokenServerKeys>());
        services.AddOpenIddict()
            .AddServer(options =>
            {
                options.SetTokenEndpointUris(TokenPath.TrimStart('/'));
                options.AllowClientCredentialsFlow();
                options.RegisterScopes([.. ApiScopes.All]);
                var aspNetCore = options.UseAspNetCore().EnableTokenEndpointPassthrough();
                if (!environment.IsProduction())
                {
                    // make run and the tests speak plain http; production sits behind TLS.
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(options =>
            {
                options.UseLocalServer();

                // Each request looks its token up, so deleting an API client (or revoking a token) takes effect at once.
                options.EnableTokenEntryValidation();
                options.UseAspNetCore();
            });
        return services;
    }
}
