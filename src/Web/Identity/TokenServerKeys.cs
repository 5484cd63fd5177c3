using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using StreamSpace.Infrastructure.Identity;

namespace StreamSpace.Web.Identity;

/// <summary>Hands the token server its keys and issuer; a Configure step (not the builder) because the keys may come from the database.</summary>
public sealed class TokenServerKeys(IdentityKeys keys, IOptions<IdentityKeysOptions> identity)
    : IConfigureOptions<OpenIddictServerOptions>, IConfigureOptions<OpenIddict.Client.OpenIddictClientOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Issuer ??= identity.Value.Issuer;
        AddKeys(options.SigningCredentials, options.EncryptionCredentials);
    }

    /// <summary>The SSO client protects its state tokens with the same keys.</summary>
    public void Configure(OpenIddict.Client.OpenIddictClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        AddKeys(options.SigningCredentials, options.EncryptionCredentials);
    }

    private void AddKeys(List<SigningCredentials> signing, List<EncryptingCredentials> encryption)
    {
        signing.Add(new SigningCredentials(new RsaSecurityKey(keys.Signing()), SecurityAlgorithms.RsaSha256));
        encryption.Add(new EncryptingCredentials(
            new RsaSecurityKey(keys.Encryption()), SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
    }
}
