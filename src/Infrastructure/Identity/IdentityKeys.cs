using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Infrastructure.Identity;

/// <summary>
/// Signing and encryption keys for the token server: configured ones in production, otherwise generated once and stored in
/// PostgreSQL (protected with Data Protection) so tokens survive restarts and every Web replica shares them.
/// </summary>
public sealed class IdentityKeys(IServiceScopeFactory scopes, IOptions<IdentityKeysOptions> options, IDataProtectionProvider protection, TimeProvider time)
{
    public const string SigningKeyName = "token-signing";
    public const string EncryptionKeyName = "token-encryption";

    private readonly IDataProtector _protector = protection.CreateProtector("StreamSpace.IdentityKeys");

    /// <summary>Synchronous on purpose: options are configured synchronously, once per process.</summary>
    public RSA Signing() => FromPem(options.Value.SigningKeyPem) ?? LoadOrCreate(SigningKeyName);

    public RSA Encryption() => FromPem(options.Value.EncryptionKeyPem) ?? LoadOrCreate(EncryptionKeyName);

    private static RSA? FromPem(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            return null;
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa;
    }

    private RSA LoadOrCreate(string name)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StreamSpaceDb>();
        var stored = db.Set<IdentityKey>().AsNoTracking().SingleOrDefault(k => k.Name == name);
        if (stored is null)
        {
            using var generated = RSA.Create(2048);
            db.Set<IdentityKey>().Add(new IdentityKey { Name = name, ProtectedPem = _protector.Protect(generated.ExportRSAPrivateKeyPem()), CreatedAt = time.GetUtcNow() });
            try
            {
                db.SaveChanges();
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // Another replica generated it first; everyone uses that one.
                db.ChangeTracker.Clear();
            }

            stored = db.Set<IdentityKey>().AsNoTracking().Single(k => k.Name == name);
        }

        return FromPem(_protector.Unprotect(stored.ProtectedPem))!;
    }
}
