using Microsoft.EntityFrameworkCore;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Identity;

namespace StreamSpace.Workers.Kubernetes;

/// <summary>How a resource names a member (<c>spec.user</c> of a Session, <c>metadata.name</c> of a User), inside the current tenant.</summary>
public static class MemberNames
{
    /// <summary>The user name or e-mail; else "john" for john@example.com when no other member's address starts that way.</summary>
    public static async Task<Member?> FindAsync(StreamSpaceDb db, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(name);
        var normalized = name.ToUpperInvariant();
        var exact = await db.Users.FirstOrDefaultAsync(m => m.NormalizedUserName == normalized || m.NormalizedEmail == normalized, cancellationToken);
        if (exact is not null)
        {
            return exact;
        }

        var prefix = normalized + "@";
        var candidates = await db.Users.Where(m => m.NormalizedEmail!.StartsWith(prefix)).Take(2).ToListAsync(cancellationToken);
        return candidates is [var only] ? only : null;
    }
}
