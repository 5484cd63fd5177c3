using StreamSpace.Infrastructure.Features.Sso;

namespace StreamSpace.Web.Pages.Admin.Sso;

/// <summary>The provider form's fields; the secret is write-only (empty keeps the stored one).</summary>
public sealed class SsoForm
{
    public string? DisplayName { get; set; }

    public string? Issuer { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public string? Scopes { get; set; } = "openid profile email";

    public string? GroupsClaim { get; set; } = "groups";

    public string? AdminGroup { get; set; }

    /// <summary>One <c>group=tier</c> per line.</summary>
    public string? TierGroups { get; set; }

    public bool LocalPasswordsDisabled { get; set; }

    public SsoSettings ToSettings() => new(
        DisplayName ?? string.Empty,
        Issuer ?? string.Empty,
        ClientId ?? string.Empty,
        ClientSecret,
        (Scopes ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        GroupsClaim ?? "groups",
        AdminGroup,
        (TierGroups ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        LocalPasswordsDisabled);
}
