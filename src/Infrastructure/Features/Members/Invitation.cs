using StreamSpace.Domain.Common;
using StreamSpace.Domain.Members;

namespace StreamSpace.Infrastructure.Features.Members;

/// <summary>
/// A tenant admin's invitation to join: a single-use link that expires. Only the SHA-256 of its token is stored, so a
/// database read does not yield working links.
/// </summary>
public sealed class Invitation : ITenantOwned
{
    private Invitation()
    {
        Email = Role = TokenHash = InvitedBy = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public string Email { get; private set; }

    public string Role { get; private set; }

    public Guid? TierId { get; private set; }

    public string TokenHash { get; private set; }

    public string InvitedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? AcceptedAt { get; private set; }

    /// <summary>When the admin withdrew it or a newer invitation for the same e-mail replaced it.</summary>
    public DateTimeOffset? RevokedAt { get; private set; }

    public static Invitation Create(string email, string role, Guid? tierId, string tokenHash, string invitedBy, DateTimeOffset now, TimeSpan lifetime)
    {
        if (!MemberRole.IsKnown(role) || role == MemberRole.PlatformAdmin)
        {
            throw new DomainException($"\"{role}\" is not a role; use {MemberRole.User} or {MemberRole.TenantAdmin}.");
        }

        return new Invitation
        {
            Id = Guid.CreateVersion7(now),
            Email = email,
            Role = role,
            TierId = tierId,
            TokenHash = tokenHash,
            InvitedBy = invitedBy,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
    }

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>Still usable: neither accepted, revoked nor expired.</summary>
    public bool IsPending(DateTimeOffset now) => AcceptedAt is null && RevokedAt is null && !IsExpired(now);

    public void Revoke(DateTimeOffset now)
    {
        if (AcceptedAt is not null)
        {
            throw new DomainException("This invitation has already been used; disable the member instead.");
        }

        RevokedAt ??= now;
    }
}
