using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Infrastructure.Identity;

/// <summary>
/// Cookies are host-only, so a sign-in that happens on <c>localhost</c> (sign-up, the organisation picker) is handed to
/// <c>{tenant}.localhost</c> with a ticket that is signed, expires within a minute and can be redeemed once.
/// </summary>
public sealed class SignInHandover(IDataProtectionProvider protection, StreamSpaceDb db, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("StreamSpace.SignInHandover").ToTimeLimitedDataProtector();

    public string Issue(Guid tenantId, Guid memberId) =>
        _protector.Protect(
            string.Create(CultureInfo.InvariantCulture, $"{Guid.NewGuid():N}|{tenantId:N}|{memberId:N}"),
            time.GetUtcNow() + Lifetime);

    /// <summary>Returns the member the ticket was issued for, or null when it is forged, expired, used or for another tenant.</summary>
    public async Task<Guid?> RedeemAsync(string ticket, Guid tenantId, CancellationToken cancellationToken)
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
        if (parts.Length != 3 || !Guid.TryParse(parts[0], out var ticketId) || !Guid.TryParse(parts[1], out var ticketTenant)
            || !Guid.TryParse(parts[2], out var memberId) || ticketTenant != tenantId)
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
