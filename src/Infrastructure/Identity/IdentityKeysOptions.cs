namespace StreamSpace.Infrastructure.Identity;

/// <summary>
/// The keys the OpenIddict server signs and encrypts tokens with, as RSA PEM from a Secret or the environment
/// (<c>Identity__SigningKeyPem</c>). Left empty, keys are generated once and kept in PostgreSQL (<c>make run</c>, tests).
/// </summary>
public sealed class IdentityKeysOptions
{
    public const string Section = "Identity";

    /// <summary>
    /// The token server's public address (<c>https://streamspace.example.com/</c>). Set it whenever the portal answers on more
    /// than one host (tenant subdomains): a token is then valid on all of them. Unset, each host is its own issuer.
    /// </summary>
    public Uri? Issuer { get; set; }

    public string? SigningKeyPem { get; set; }

    public string? EncryptionKeyPem { get; set; }
}
