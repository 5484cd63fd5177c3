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

    /// <summary>The column lengths (<c>IdentityProviderConfiguration</c>).</summary>
    public const int MaxDisplayNameLength = 100;

    public const int MaxIssuerLength = 500;

    public const int MaxClientIdLength = 200;

    public void Change(
        string displayName, string issuer, string clientId, string? protectedSecret, IEnumerable<string> scopes, string groupsClaim,
        string? adminGroup, IEnumerable<string> tierGroups, bool localPasswordsDisabled, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(displayName))
        {
            throw new FieldException(nameof(DisplayName), "Give the provider a name, such as Keycloak.");
        }

        if (displayName.Trim().Length > MaxDisplayNameLength)
        {
            throw new FieldException(nameof(DisplayName), QuantityLimits.TooLong(MaxDisplayNameLength));
        }

        if (string.IsNullOrWhiteSpace(clientId))
        {
            throw new FieldException(nameof(ClientId), "Enter the client id registered at the provider.");
        }

        if (clientId.Trim().Length > MaxClientIdLength)
        {
            throw new FieldException(nameof(ClientId), QuantityLimits.TooLong(MaxClientIdLength));
        }

        if (!Uri.TryCreate(issuer?.Trim(), UriKind.Absolute, out var issuerUri) || issuerUri.Scheme is not ("https" or "http"))
        {
            throw new FieldException(nameof(Issuer), "The issuer must be an absolute http(s) address, such as https://sso.example.com/realms/acme.");
        }

        if (issuerUri.AbsoluteUri.Length > MaxIssuerLength)
        {
            throw new FieldException(nameof(Issuer), QuantityLimits.TooLong(MaxIssuerLength));
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
