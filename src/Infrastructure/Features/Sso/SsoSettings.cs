namespace StreamSpace.Infrastructure.Features.Sso;

/// <summary>The provider form as a tenant admin fills it; an empty secret keeps the stored one.</summary>
public sealed record SsoSettings(
    string DisplayName, string Issuer, string ClientId, string? ClientSecret, IReadOnlyList<string> Scopes, string GroupsClaim,
    string? AdminGroup, IReadOnlyList<string> TierGroups, bool LocalPasswordsDisabled);
