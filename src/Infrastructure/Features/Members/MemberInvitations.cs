using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Common;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Infrastructure.Features.Members;

/// <summary>
/// Invitations to join a tenant: an admin issues a single-use link that expires; whoever opens it on the tenant's host
/// chooses a password and becomes a member with the role and tier the admin chose.
/// </summary>
public sealed class MemberInvitations(
    StreamSpaceDb db,
    UserManager<Member> users,
    AuditTrail audit,
    TenantContext tenantContext,
    IOptions<InvitationOptions> options,
    TimeProvider time)
{
    private static readonly EmailAddressAttribute EmailFormat = new();

    /// <summary>The member's display name column (<c>MemberConfiguration</c>).</summary>
    private const int MaxDisplayNameLength = 200;

    public async Task<IssuedInvitation> InviteAsync(string? email, string role, Guid? tierId, CancellationToken cancellationToken)
    {
        email = email?.Trim();
        if (string.IsNullOrEmpty(email) || !EmailFormat.IsValid(email))
        {
            throw new FieldException("email", "Enter an e-mail address such as someone@example.com.");
        }

        if (email.Length > QuantityLimits.MaxEmailLength)
        {
            throw new FieldException("email", $"An e-mail address has at most {QuantityLimits.MaxEmailLength} characters; this one has {email.Length}.");
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            throw new FieldException("email", $"{email} is already a member of this organisation.");
        }

        var tierName = tierId is { } id
            ? await db.Tiers.Where(t => t.Id == id).Select(t => t.Name).SingleOrDefaultAsync(cancellationToken)
                ?? throw new DomainException("That tier does not exist.")
            : Domain.Tiers.Tier.DefaultName;
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();

        // One working link per e-mail: a new invitation replaces the ones still pending.
        var open = await db.Invitations.Where(i => i.AcceptedAt == null && i.RevokedAt == null).ToListAsync(cancellationToken);
        foreach (var older in open.Where(i => string.Equals(i.Email, email, StringComparison.OrdinalIgnoreCase)))
        {
            older.Revoke(now);
        }

        var invitation = Invitation.Create(email, role, tierId, Hash(token), audit.CurrentActor, now, options.Value.LifetimeSpan);
        db.Invitations.Add(invitation);
        audit.Record(AuditActions.MemberInvited, $"member/{email}", $"role {role}, tier {tierName}, expires {invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC");
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedInvitation(invitation.Id, email, token, invitation.ExpiresAt);
    }

    /// <summary>The invitations that can still be accepted, newest first.</summary>
    public async Task<IReadOnlyList<Invitation>> PendingAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await db.Invitations.AsNoTracking()
            .Where(i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .OrderByDescending(i => i.CreatedAt)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Withdraws an invitation of this tenant; the e-mail it was for, or null when there is none with that id here.</summary>
    public async Task<string?> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (invitation is null)
        {
            return null;
        }

        if (invitation.RevokedAt is null)
        {
            invitation.Revoke(time.GetUtcNow());
            audit.Record(AuditActions.InviteRevoked, $"member/{invitation.Email}", $"invited by {invitation.InvitedBy} on {invitation.CreatedAt:yyyy-MM-dd HH:mm} UTC");
            await db.SaveChangesAsync(cancellationToken);
        }

        return invitation.Email;
    }

    /// <summary>Whether the link can be used here and now; its invitation when it can.</summary>
    public async Task<InvitationCheck> CheckAsync(string? token, CancellationToken cancellationToken)
    {
        var tenant = tenantContext.Tenant ?? throw new InvalidOperationException("Invitations are accepted on the organisation's address.");
        var hash = string.IsNullOrEmpty(token) ? null : Hash(token);

        // The query filter limits the search to this tenant: a link of another organisation is simply unknown here.
        var invitation = hash is null ? null : await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        if (invitation is null)
        {
            return new(null, $"This invitation link is not valid for {tenant.DisplayName}. It may be mistyped or belong to another organisation: open it exactly as you received it.");
        }

        if (invitation.AcceptedAt is not null)
        {
            return new(invitation, "This invitation has already been used. Sign in instead, or ask your administrator for a new invitation.");
        }

        if (invitation.RevokedAt is not null)
        {
            return new(invitation, "This invitation link no longer works: it was withdrawn or replaced by a newer invitation. Use the most recent invitation you received, or ask your administrator for a new one.");
        }

        if (await users.FindByEmailAsync(invitation.Email) is not null)
        {
            return new(invitation, $"{invitation.Email} is already a member of {tenant.DisplayName}. Sign in instead.");
        }

        if (invitation.IsExpired(time.GetUtcNow()))
        {
            return new(invitation, $"This invitation expired on {invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC. Ask your administrator for a new one.");
        }

        return new(invitation, null);
    }

    /// <summary>Creates the member and uses up the invitation, both or neither; a second use of the same link is refused.</summary>
    public async Task<InvitationAcceptance> AcceptAsync(string token, string? displayName, string? password, CancellationToken cancellationToken)
    {
        var check = await CheckAsync(token, cancellationToken);
        if (!check.IsValid)
        {
            return InvitationAcceptance.Refused(check.Problem!);
        }

        if (string.IsNullOrEmpty(password))
        {
            return InvitationAcceptance.Refused("Choose a password.");
        }

        if (displayName?.Trim().Length > MaxDisplayNameLength)
        {
            return InvitationAcceptance.Refused($"Keep your name to {MaxDisplayNameLength} characters.");
        }

        var invitation = check.Invitation!;
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Claiming the row first makes two concurrent uses of one link end with one member.
        var claimed = await db.Invitations
            .Where(i => i.Id == invitation.Id && i.AcceptedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.AcceptedAt, now), cancellationToken);
        if (claimed == 0)
        {
            return InvitationAcceptance.Refused("This invitation has already been used. Sign in instead, or ask your administrator for a new invitation.");
        }

        var member = Member.Create(invitation.Email, displayName ?? invitation.Email, invitation.Role, invitation.TierId, now);
        var created = await users.CreateAsync(member, password);
        if (!created.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            return InvitationAcceptance.Refused([.. created.Errors.Select(e => e.Description)]);
        }

        audit.RecordAs(member.Email!, member.Id, AuditActions.InviteAccepted, $"member/{member.Email}", $"role {member.Role}, invited by {invitation.InvitedBy}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new InvitationAcceptance(member, []);
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
