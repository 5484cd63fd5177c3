using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using StreamSpace.Infrastructure.Identity;

namespace StreamSpace.Web.Identity;

/// <summary>StreamSpace as an identity provider for its own REST API and CLI (DESIGN §8): the OpenIddict server and validation.</summary>
public static class TokenServerExtensions
{
    public const string TokenPath = "/connect/token";
    public const string DevicePath = "/connect/device";
    public const string VerificationPath = "/device";
    public const string AuthorizePath = "/connect/authorize";

    /// <summary>The public client of the <c>streamspace</c> CLI (device flow, refresh tokens).</summary>
    public const string CliClientId = "streamspace-cli";

    public static IServiceCollection AddTokenServer(this IServiceCollection services)
    {
        services.AddHostedService<CliClientSeed>();
        services.AddOptions<PkceClientOptions>().BindConfiguration(IdentityKeysOptions.Section);
        services.AddHostedService<PkceClientSeed>();
        services.AddSingleton<TokenServerKeys>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>>(sp => sp.GetRequiredService<TokenServerKeys>());
        services.AddSingleton<IConfigureOptions<OpenIddict.Client.OpenIddictClientOptions>>(sp => sp.GetRequiredService<TokenServerKeys>());
        services.AddOpenIddict()
            .AddServer(options =>
            {
                options.SetTokenEndpointUris(TokenPath.TrimStart('/'))
                    .SetDeviceAuthorizationEndpointUris(DevicePath.TrimStart('/'))
                    .SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/'))

                    // On each tenant's own host, where its members are signed in (http://acme.localhost/device).
                    .SetEndUserVerificationEndpointUris(VerificationPath.TrimStart('/'));
                options.AllowClientCredentialsFlow().AllowDeviceAuthorizationFlow().AllowRefreshTokenFlow().AllowAuthorizationCodeFlow();

                // Every code client is a public one (PkceClientOptions): a code is redeemed only with its S256 verifier.
                options.RequireProofKeyForCodeExchange();
                options.RegisterScopes([.. ApiScopes.All, OpenIddict.Abstractions.OpenIddictConstants.Scopes.OfflineAccess]);
                options.UseAspNetCore().EnableTokenEndpointPassthrough().EnableEndUserVerificationEndpointPassthrough()
                    .EnableAuthorizationEndpointPassthrough();
            })
            .AddValidation(options =>
            {
                options.UseLocalServer();

                // Each request looks its token up, so deleting an API client (or revoking a token) takes effect at once.
                options.EnableTokenEntryValidation();
                options.UseAspNetCore();
            });
        services.AddOptions<IdentityTransportOptions>().BindConfiguration(IdentityTransportOptions.Section);
        services.AddOptions<OpenIddictServerAspNetCoreOptions>().Configure<IOptions<IdentityTransportOptions>>((aspNetCore, transport) =>
        {
            // make run and the tests speak plain http; production sits behind TLS.
            aspNetCore.DisableTransportSecurityRequirement |= transport.Value.AllowInsecureHttp;
        });
        return services;
    }
}
