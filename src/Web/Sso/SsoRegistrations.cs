using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using OpenIddict.Client;
using StreamSpace.Infrastructure.Features.Sso;

namespace StreamSpace.Web.Sso;

/// <summary>
/// Feeds the OpenIddict client one registration per tenant provider, and tells the options monitor to rebuild them whenever
/// the directory changes: providers are added, changed and removed without a restart.
/// </summary>
public sealed class SsoRegistrations(SsoDirectory directory) : IConfigureOptions<OpenIddictClientOptions>, IOptionsChangeTokenSource<OpenIddictClientOptions>
{
    public const string CallbackPath = "/sso/callback";

    public string Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => directory.GetChangeToken();

    public void Configure(OpenIddictClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var provider in directory.Registrations)
        {
            var registration = new OpenIddictClientRegistration
            {
                RegistrationId = provider.RegistrationId,
                ProviderDisplayName = provider.DisplayName,
                Issuer = new Uri(provider.Issuer, UriKind.Absolute),
                ClientId = provider.ClientId,
                ClientSecret = provider.ClientSecret,

                // Relative: each tenant's host is its own redirect URI (http://acme.localhost/sso/callback).
                RedirectUri = new Uri(CallbackPath.TrimStart('/'), UriKind.Relative),
            };
            registration.Scopes.UnionWith(provider.Scopes.Count > 0 ? provider.Scopes : ["openid", "profile", "email"]);
            options.Registrations.Add(registration);
        }
    }
}
