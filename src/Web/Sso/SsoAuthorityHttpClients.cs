using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using OpenIddict.Client.SystemNetHttp;
using StreamSpace.Infrastructure.Features.Sso;

namespace StreamSpace.Web.Sso;

/// <summary>
/// Gives the HTTP clients OpenIddict builds per registration (discovery, keys, tokens, user info) a primary handler that
/// connects only to allowed addresses: the discovery document may name endpoints on other hosts than the issuer's.
/// </summary>
public sealed class SsoAuthorityHttpClients(SsoAuthorityAddresses addresses) : IConfigureNamedOptions<HttpClientFactoryOptions>
{
    private static readonly string OpenIddictClients = typeof(OpenIddictClientSystemNetHttpOptions).Assembly.GetName().Name + ":";

    public void Configure(string? name, HttpClientFactoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name?.StartsWith(OpenIddictClients, StringComparison.Ordinal) == true)
        {
            options.HttpMessageHandlerBuilderActions.Add(builder => builder.PrimaryHandler = new SsoAuthorityHandler(addresses));
        }
    }

    public void Configure(HttpClientFactoryOptions options) => Configure(Options.DefaultName, options);
}
