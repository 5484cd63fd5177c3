namespace StreamSpace.Web.Identity;

/// <summary>One operator PKCE client (<c>Identity:PkceClients:{clientId}</c>): its name and the exact redirect URIs a code may be sent to.</summary>
public sealed class PkceClient
{
    public string? DisplayName { get; set; }

    public List<Uri> RedirectUris { get; init; } = [];
}
