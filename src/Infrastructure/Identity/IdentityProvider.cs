using StreamSpace.Domain.Common;

namespace StreamSpace.Infrastructure.Identity;

/// <summary>
/// A tenant's upstream OpenID Connect provider (Keycloak, Authentik, Entra ID…): at most one per tenant. The client secret is
/// kept protected with Data Protection and never shown again.
/// </summary>
public sealed class IdentityProvider : ITenantOwned
{
    private IdentityProvider()
    {
        DisplayName = string.Empty;
        Issuer = string.Empty;
        ClientId = string.Empty;
        ProtectedClientSecret = string.Empty;
        Scopes = [];
        GroupsClaim = "groups";
        TierGroups = [];
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    /// <summary>Shown on the login page: "Sign in with {DisplayName}".</summary>
    public string DisplayName { get; private set; }

    public string Issuer { get; private set; }

    public string ClientId { get; private set; }

    public string ProtectedClientSecret { get; private set; }

    public string[] Scopes { get; private set; }

    /// <summary>The claim that lists the user's groups (Keycloak and Authentik: <c>groups</c>).</summary>
    public string GroupsClaim { get; private set; }

    /// <summary>Members of this group become tenant admins; everyone else is a user.</summary>
    public string? AdminGroup { get; private set; }

    /// <summary><c>group=tier</c> pairs, first match wins; no match puts the member in the <c>free</c> tier.</summary>
    public string[] TierGroups { get; private set; }

    /// <summary>Members of this tenant sign in only through the provider.</summary>
    public bool LocalPasswordsDisabled { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static IdentityProvider Create(DateTimeOffset now) => new() { Id = Guid.CreateVersion7(now), UpdatedAt = now };

    public void Change(
        string displayName, string issuer, string clientId, string? protectedSecret, IEnumerable<string> scopes, string groupsClaim,
        string? adminGroup, IEnumerable<string> tierGroups, bool localPasswordsDisabled, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(displayName) || string.IsNullOrWhiteSpace(clientId))
        {
            throw new DomainException("The provider needs a name and a client id.");
        }

        if (!Uri.TryCreate(issuer?.Trim(), UriKind.Absolute, out var issuerUri) || issuerUri.Scheme is not ("https" or "http"))
        {
            throw new DomainException("The issuer must be an absolute http(s) address, such as https://sso.example.com/realms/acme.");
        }

        var mappings = tierGroups.Select(t => t.Trim()).Where(t => t.Length > 0).ToArray();
        if (mappings.Any(m => m.Split('=') is not [{ Length: > 0 }, { Length: > 0 }]))
        {
            throw new DomainException("Write each tier mapping as group=tier, one per line.");
        }

        if (protectedSecret is null && ProtectedClientSecret.Length == 0)
        {
            throw new DomainException("Enter the client secret.");
        }

        DisplayName = displayName.Trim();
        Issuer = issuerUri.AbsoluteUri;
        ClientId = clientId.Trim();
        ProtectedClientSecret = protectedSecret ?? ProtectedClientSecret;
        Scopes = [.. scopes.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal)];
        GroupsClaim = string.IsNullOrWhiteSpace(groupsClaim) ? "groups" : groupsClaim.Trim();
        AdminGroup = string.IsNullOrWhiteSpace(adminGroup) ? null : adminGroup.Trim();
        TierGroups = mappings;
        LocalPasswordsDisabled = localPasswordsDisabled;
        UpdatedAt = now;
    }

    /// <summary>The role and tier name the user's groups map to.</summary>
    public (string Role, string? Tier) Map(IReadOnlyCollection<string> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var role = AdminGroup is not null && groups.Contains(AdminGroup) ? Domain.Members.MemberRole.TenantAdmin : Domain.Members.MemberRole.User;
        var tier = TierGroups.Select(m => m.Split('=')).FirstOrDefault(m => groups.Contains(m[0]))?[1];
        return (role, tier);
    }
}
