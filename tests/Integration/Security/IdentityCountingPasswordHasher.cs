using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using StreamSpace.Infrastructure.Identity;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>Identity's own hasher, counting how often a sign-in checks a password: the work a timing attacker measures.</summary>
public sealed class IdentityCountingPasswordHasher(IOptions<PasswordHasherOptions> options) : IPasswordHasher<Member>
{
    private readonly PasswordHasher<Member> _inner = new(options);
    private int _verifications;

    public int Verifications => Volatile.Read(ref _verifications);

    public string HashPassword(Member user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(Member user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _verifications);
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
