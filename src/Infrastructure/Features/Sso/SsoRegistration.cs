namespace StreamSpace.Infrastructure.Features.Sso;

/// <summary>What the OpenIddict client needs to know of one tenant's provider; the secret is in clear text, in memory only.</summary>
public sealed record SsoRegistration(
    Guid TenantId, string TenantSlug, string DisplayName, string Issuer, string ClientId, string ClientSecret, IReadOnlyList<string> Scopes, bool LocalPasswordsDisabled, DateTimeOffset UpdatedAt)
{
    /// <summary>The OpenIddict registration id; the callback checks it against the tenant in the URL.</summary>
    public string RegistrationId => RegistrationIdOf(TenantId);

    public static string RegistrationIdOf(Guid tenantId) => $"tenant-{tenantId:N}";
}
