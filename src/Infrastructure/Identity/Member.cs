using Microsoft.AspNetCore.Identity;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Members;
using StreamSpace.Domain.Quotas;

namespace StreamSpace.Infrastructure.Identity;

/// <summary>A user of one tenant. The same e-mail may belong to members of two tenants.</summary>
public sealed class Member : IdentityUser<Guid>, ITenantOwned
{
    public Guid TenantId { get; private set; }

    public string DisplayName { get; set; } = string.Empty;

    public string Role { get; private set; } = MemberRole.User;

    public Guid? TierId { get; set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The numeric uid this member's local sandboxes run as; unique installation-wide (a database sequence).</summary>
    public int LocalUid { get; private set; }

    public long? OverrideMemoryBytes { get; private set; }

    public int? OverrideMaxSessions { get; private set; }

    public long? OverrideStorageBytes { get; private set; }

    public TimeSpan? OverrideMaxSessionDuration { get; private set; }

    /// <summary>Set while a tenant admin has disabled the member: no sign-in, no request with an existing cookie.</summary>
    public DateTimeOffset? DisabledAt { get; private set; }

    public bool IsDisabled => DisabledAt is not null;

    public void Disable(DateTimeOffset now) => DisabledAt ??= now;

    public void Enable() => DisabledAt = null;

    /// <summary>This member's quotas that replace their tier's (null fields keep the tier's).</summary>
    public QuotaOverrides Overrides =>
        new(OverrideMemoryBytes, OverrideMaxSessions, OverrideStorageBytes, OverrideMaxSessionDuration);

    public void SetOverrides(QuotaOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        if (overrides.MemoryBytes <= 0 || overrides.MaxSessions < 0 || overrides.StorageBytes <= 0 || overrides.MaxSessionDuration <= TimeSpan.Zero)
        {
            throw new DomainException("Quota overrides must be positive.");
        }

        OverrideMemoryBytes = overrides.MemoryBytes;
        OverrideMaxSessions = overrides.MaxSessions;
        OverrideStorageBytes = overrides.StorageBytes;
        OverrideMaxSessionDuration = overrides.MaxSessionDuration;
    }

    public static Member Create(string email, string displayName, string role, Guid? tierId, DateTimeOffset now)
    {
        var member = new Member
        {
            Id = Guid.CreateVersion7(now),
            UserName = email,
            Email = email,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? email : displayName.Trim(),
            TierId = tierId,
            CreatedAt = now,
        };
        member.ChangeRole(role);
        return member;
    }

    public void ChangeRole(string role)
    {
        if (!MemberRole.IsKnown(role))
        {
            throw new DomainException($"\"{role}\" is not a role; use {MemberRole.User} or {MemberRole.TenantAdmin}.");
        }

        Role = role;
    }
}
