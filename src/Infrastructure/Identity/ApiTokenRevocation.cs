using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Infrastructure.Identity;

/// <summary>
/// Revokes the grants issued for members (refresh tokens, device and authorization codes, authorizations) when a member is
/// disabled or their organisation suspended, so nothing renews. Access tokens, of API clients too (their subject is the member),
/// stop at the per-request standing check, which says why.
/// </summary>
public sealed class ApiTokenRevocation(IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, StreamSpaceDb db)
{
    public async Task<int> RevokeMemberAsync(Guid memberId, CancellationToken cancellationToken)
    {
        var revoked = 0;
        var subject = memberId.ToString("D");
        await foreach (var token in tokens.FindBySubjectAsync(subject, cancellationToken))
        {
            // Access tokens are left to the standing check, which refuses them with the reason (a revoked one would only be "invalid").
            if (await tokens.GetTypeAsync(token, cancellationToken) != OpenIddictConstants.TokenTypeIdentifiers.AccessToken)
            {
                revoked += await tokens.TryRevokeAsync(token, cancellationToken) ? 1 : 0;
            }
        }

        await foreach (var authorization in authorizations.FindBySubjectAsync(subject, cancellationToken))
        {
            await authorizations.TryRevokeAsync(authorization, cancellationToken);
        }

        return revoked;
    }

    /// <summary>Every member of the tenant whose context is set.</summary>
    public async Task<int> RevokeTenantAsync(CancellationToken cancellationToken)
    {
        var revoked = 0;
        foreach (var memberId in await db.Users.Select(m => m.Id).ToListAsync(cancellationToken))
        {
            revoked += await RevokeMemberAsync(memberId, cancellationToken);
        }

        return revoked;
    }
}
