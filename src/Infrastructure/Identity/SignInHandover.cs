using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Infrastructure.Identity;

/// <summary>
/// Cookies are host-only, so a sign-in that happens on <c>localhost</c> (sign-up, the organisation picker) is handed to
/// <c>{tenant}.localhost</c> with a ticket that is signed, expires within a minute and can be redeemed once. The same
/// tickets, with another audience, admit a member to one session's web app on its own host (DESIGN §6, <c>http</c> templates).
/// </summary>
public sealed class SignInHandover(IDataProtectionProvider protection, StreamSpaceDb db, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("StreamSpace.SignInHandover").ToTimeLimitedDataProtector();

    /// <summary>The audience of a ticket that signs a member in to the portal.</summary>
    public const string SignInAudience = "signin";

    /// <summary>The audience of a ticket that opens one session's web app.</summary>
    public static string SessionAudience(Guid sessionId) => string.Create(CultureInfo.InvariantCulture, $"session:{sessionId:N}");

    public string Issue(Guid tenantId, Guid memberId, string audience = SignInAudience) =>
        _protector.Protect(
            string.Create(CultureInfo.InvariantCulture, $"{Guid.NewGuid():N}|{tenantId:N}|{memberId:N}|{audience}"),
            time.GetUtcNow() + Lifetime);

    public Task<Guid?> RedeemAsync(string ticket, Guid tenantId, CancellationToken cancellationToken) =>
        RedeemAsync(ticket, tenantId, SignInAudience, cancellationToken);

    /// <summary>
    /// Returns the member the ticket was issued for, or null when it is forged, expired, used, for another tenant or for
    /// another audience.
    /// </summary>
    public async Task<Guid?> RedeemAsync(string ticket, Guid tenantId, string audience, CancellationToken cancellationToken)
    {
        string payload;
        try
        {
            payload = _protector.Unprotect(ticket);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }

        var parts = payload.Split('|');
        if (parts.Length != 4 || !Guid.TryParse(parts[0], out var ticketId) || !Guid.TryParse(parts[1], out var ticketTenant)
            || !Guid.TryParse(parts[2], out var memberId) || ticketTenant != tenantId || parts[3] != audience)
        {
            return null;
        }

        var redeemed = new HandoverTicket { Id = ticketId, RedeemedAt = time.GetUtcNow() };
        db.HandoverTickets.Add(redeemed);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            db.Entry(redeemed).State = EntityState.Detached;
            return null;
        }

        return memberId;
    }
}
