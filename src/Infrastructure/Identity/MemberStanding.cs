using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Infrastructure.Identity;

/// <summary>
/// Whether a token's member may still use the API: the member exists and is enabled, and the organisation is active. Read
/// fresh (not from the tenant cache) at every token issue and every API request, so a disable or a suspension stops an
/// access token issued before it.
/// </summary>
public sealed class MemberStanding(StreamSpaceDb db)
{
    /// <summary>Why the member may not use the API, in words for the caller; null when they may.</summary>
    public async Task<string?> RefusalAsync(Guid memberId, CancellationToken cancellationToken)
    {
        var standing = await db.Users.AsNoTracking()
            .Where(m => m.Id == memberId)
            .Join(db.Tenants, m => m.TenantId, t => t.Id, (m, t) => new { m.DisabledAt, t.Status })
            .SingleOrDefaultAsync(cancellationToken);
        return standing switch
        {
            null => "The member this token acts for no longer exists.",
            { Status: TenantStatus.Suspended } => "The organisation is suspended: its members and API clients cannot use StreamSpace until an operator reactivates it.",
            { DisabledAt: not null } => "The member this token acts for is disabled: a tenant admin can enable them again.",
            _ => null,
        };
    }
}
