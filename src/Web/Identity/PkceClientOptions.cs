namespace StreamSpace.Web.Identity;

/// <summary>
/// The operator's public clients of the authorization code flow with PKCE (<c>Identity:PkceClients:{clientId}</c>): apps that
/// send a member's browser to <c>/connect/authorize</c> and act as that member in the member's own organisation.
/// </summary>
public sealed class PkceClientOptions
{
    public Dictionary<string, PkceClient> PkceClients { get; init; } = [];
}
