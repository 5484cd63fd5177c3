using System.Net;

namespace StreamSpace.Infrastructure.Features.Sso;

/// <summary>Which addresses a tenant's identity provider may have: public ones, plus what the platform operator allows.</summary>
public sealed class SsoAuthorityOptions
{
    public const string Section = "Sso";

    /// <summary>Lets providers sit on loopback, link-local and private addresses (a Keycloak on the LAN, the test suites).</summary>
    public bool AllowPrivateAuthorities { get; set; }

    /// <summary>Networks in CIDR form (<c>10.20.0.0/16</c>) that providers may sit in although they are private.</summary>
    public IList<string> AllowedAuthorityNetworks { get; } = new List<string>();

    public bool NetworksAreValid() => AllowedAuthorityNetworks.All(n => IPNetwork.TryParse(n, out _));
}
