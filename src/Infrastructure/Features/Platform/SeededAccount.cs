namespace StreamSpace.Infrastructure.Features.Platform;

/// <summary>An account that set-up made sure exists, with the password it now has.</summary>
public sealed record SeededAccount(string TenantSlug, string Email, string Password, bool PasswordChanged);
