using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace StreamSpace.Infrastructure.Identity;

/// <summary>
/// A hash nobody knows the password of: a sign-in that has no real hash to check (unknown e-mail, a member who signs in only
/// through the provider, a locked account) checks the password against it, so its timing does not say which e-mails exist.
/// </summary>
public static class DecoyPassword
{
    private static readonly Member Nobody = new();
    private static string? s_hash;

    public static void Verify(IPasswordHasher<Member> hasher, string password)
    {
        ArgumentNullException.ThrowIfNull(hasher);

        // Made with the same hasher, so it costs the same iterations as a member's hash; a race only makes it twice.
        var hash = s_hash ??= hasher.HashPassword(Nobody, Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        hasher.VerifyHashedPassword(Nobody, hash, password);
    }
}
