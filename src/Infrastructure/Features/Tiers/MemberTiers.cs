using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Tiers;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Infrastructure.Features.Tiers;

/// <summary>
/// The one answer to "which tier is this member in": their own, or the tenant's default <c>free</c> tier when they have
/// none. Quotas, hibernation rules, the viewer, the stream gateway and session specs all ask here.
/// </summary>
public sealed class MemberTiers(StreamSpaceDb db)
{
    public async Task<Tier> OfAsync(Guid memberId, CancellationToken cancellationToken)
    {
        var tierId = await db.Users.Where(m => m.Id == memberId).Select(m => m.TierId).SingleOrDefaultAsync(cancellationToken);
        return Resolve(tierId, await db.Tiers.AsNoTracking().ToListAsync(cancellationToken));
    }

    /// <summary>The member's tier among the tenant's <paramref name="tiers"/>; the default tier (or the built-in one) otherwise.</summary>
    public static Tier Resolve(Guid? tierId, IReadOnlyCollection<Tier> tiers)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        return (tierId is { } id ? tiers.SingleOrDefault(t => t.Id == id) : null)
            ?? tiers.SingleOrDefault(t => t.IsDefault)
            ?? Tier.Defaults()[0];
    }
}
