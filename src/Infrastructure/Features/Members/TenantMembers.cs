using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Members;
using StreamSpace.Domain.Quotas;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Features.Tiers;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Domain.Tiers;

namespace StreamSpace.Infrastructure.Features.Members;

/// <summary>
/// What a tenant admin does to members: role, tier and overrides, disabling and re-enabling, and the same through User
/// documents. Each change is one <c>member.change</c> event saying what changed; the organisation always keeps an
/// active tenant admin.
/// </summary>
public sealed class TenantMembers(StreamSpaceDb db, AuditTrail audit, MemberSessions sessions, ApiTokenRevocation apiTokens, TimeProvider time)
{
    public async Task ChangeAsync(Guid memberId, MemberChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var member = await FindAsync(memberId, cancellationToken);
        var changes = await ApplyAsync(member, change, cancellationToken);
        if (changes.Count == 0)
        {
            return;
        }

        audit.Record(AuditActions.MemberChanged, Target(member), string.Join("; ", changes));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Stops the member's sign-ins and cookies and hibernates their running sessions; returns how many hibernate.</summary>
    public async Task<int> DisableAsync(Guid memberId, CancellationToken cancellationToken)
    {
        var member = await FindAsync(memberId, cancellationToken);
        if (member.IsDisabled)
        {
            return 0;
        }

        if (member.Role == MemberRole.TenantAdmin)
        {
            await EnsureAnotherAdminAsync(member, "disable them", cancellationToken);
        }

        member.Disable(time.GetUtcNow());

        // A new stamp makes every cookie issued before this moment stop working at its next request.
        member.SecurityStamp = Guid.NewGuid().ToString("N");
        audit.Record(AuditActions.MemberChanged, Target(member), "disabled");
        var hibernating = await sessions.HibernateRunningAsync(member.Id, "member disabled", cancellationToken);
        await apiTokens.RevokeMemberAsync(member.Id, cancellationToken);
        return hibernating;
    }

    public async Task EnableAsync(Guid memberId, CancellationToken cancellationToken)
    {
        var member = await FindAsync(memberId, cancellationToken);
        if (!member.IsDisabled)
        {
            return;
        }

        member.Enable();
        audit.Record(AuditActions.MemberChanged, Target(member), "enabled");
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Applies every User document of the text to its member, or none when any document has a problem.</summary>
    public async Task<UserReadResult> ImportAsync(string yaml, CancellationToken cancellationToken)
    {
        var result = UserYaml.Read(yaml);
        var members = await db.Users.ToListAsync(cancellationToken);
        var tiers = await db.Tiers.AsNoTracking().ToListAsync(cancellationToken);
        var problems = new List<TemplateProblem>(result.Problems);
        var planned = new List<(Member Member, MemberChange Change)>();

        // Every document's member and tier are checked even when it has other problems, so one upload tells all of them.
        foreach (var user in result.Mentioned)
        {
            var member = Named(members, user.Name);
            if (member is null)
            {
                problems.Add(new TemplateProblem(user.NameLine, "metadata.name", $"\"{user.Name}\" is not a member of this organisation; invite them first"));
            }

            var tier = user.Tier is null ? null : tiers.SingleOrDefault(t => t.Name == user.Tier);
            if (user.Tier is not null && tier is null)
            {
                problems.Add(new TemplateProblem(user.TierLine, "spec.tier", $"\"{user.Tier}\" is not a tier; use one of: {string.Join(", ", tiers.Select(t => t.Name).Order())}"));
            }

            if (member is not null && (user.Tier is null || tier is not null))
            {
                planned.Add((member, new MemberChange(member.Role, tier?.Id ?? member.TierId, user.Overrides)));
            }
        }

        if (problems.Count > 0)
        {
            return new UserReadResult([], [.. problems.OrderBy(p => p.Line)]);
        }

        foreach (var (member, change) in planned)
        {
            var changes = await ApplyAsync(member, change, cancellationToken);
            if (changes.Count > 0)
            {
                audit.Record(AuditActions.MemberChanged, Target(member), "imported: " + string.Join("; ", changes));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    /// <summary>One member (or all, by e-mail) as User documents; null when <paramref name="memberId"/> is not a member here.</summary>
    public async Task<string?> ExportAsync(Guid? memberId, CancellationToken cancellationToken)
    {
        var members = await db.Users.AsNoTracking().OrderBy(m => m.Email).ToListAsync(cancellationToken);
        var tiers = await db.Tiers.AsNoTracking().ToListAsync(cancellationToken);
        var chosen = members.Where(m => memberId is null || m.Id == memberId).ToList();
        if (memberId is not null && chosen.Count == 0)
        {
            return null;
        }

        return UserYaml.WriteAll(chosen.Select(m => UserYaml.Write(DocumentName(members, m), Tier.Resolve(m.TierId, tiers).Name, m.Overrides)));
    }

    /// <summary>A member's <c>metadata.name</c>: the part of their e-mail before the @ when no other member shares it, else the e-mail.</summary>
    public static string DocumentName(IReadOnlyCollection<Member> members, Member member)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(member);
        var local = LocalPart(member.Email!);
        return members.Count(m => string.Equals(LocalPart(m.Email!), local, StringComparison.OrdinalIgnoreCase)) == 1 ? local : member.Email!;
    }

    private static Member? Named(IReadOnlyCollection<Member> members, string name) =>
        members.SingleOrDefault(m => string.Equals(m.Email, name, StringComparison.OrdinalIgnoreCase))
        ?? members.SingleOrDefault(m => string.Equals(DocumentName(members, m), name, StringComparison.OrdinalIgnoreCase));

    private static string LocalPart(string email) => email.Split('@')[0];

    /// <summary>Applies the change and returns what changed in words ("role user → tenant-admin"); refuses to lose the last admin.</summary>
    private async Task<List<string>> ApplyAsync(Member member, MemberChange change, CancellationToken cancellationToken)
    {
        var changes = new List<string>();
        if (change.Role != member.Role)
        {
            if (change.Role is not (MemberRole.User or MemberRole.TenantAdmin))
            {
                throw new DomainException($"\"{change.Role}\" is not a role; use {MemberRole.User} or {MemberRole.TenantAdmin}.");
            }

            if (member.Role == MemberRole.TenantAdmin)
            {
                await EnsureAnotherAdminAsync(member, "make them a user", cancellationToken);
            }

            changes.Add($"role {member.Role} → {change.Role}");
            member.ChangeRole(change.Role);

            // No new stamp: that would sign the member out; MemberStandingMiddleware re-issues a cookie whose role is stale.
        }

        if (change.TierId != member.TierId)
        {
            var tiers = await db.Tiers.AsNoTracking().ToListAsync(cancellationToken);
            if (change.TierId is { } id && tiers.All(t => t.Id != id))
            {
                throw new DomainException("That tier does not exist.");
            }

            changes.Add($"tier {Tier.Resolve(member.TierId, tiers).Name} → {Tier.Resolve(change.TierId, tiers).Name}");
            member.TierId = change.TierId;
        }

        var before = member.Overrides;
        if (change.Overrides != before)
        {
            member.SetOverrides(change.Overrides);
            Describe(changes, "memory", before.MemoryBytes, change.Overrides.MemoryBytes, Quantity.FormatBytes);
            Describe(changes, "maxSessions", before.MaxSessions, change.Overrides.MaxSessions, n => n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Describe(changes, "storage", before.StorageBytes, change.Overrides.StorageBytes, Quantity.FormatBytes);
            Describe(changes, "maxSessionDuration", before.MaxSessionDuration, change.Overrides.MaxSessionDuration, Quantity.FormatDuration);
        }

        return changes;
    }

    private static void Describe<T>(List<string> changes, string field, T? before, T? after, Func<T, string> format)
        where T : struct
    {
        if (!Nullable.Equals(before, after))
        {
            changes.Add($"{field} override {(before is { } b ? format(b) : "none")} → {(after is { } a ? format(a) : "none")}");
        }
    }

    private async Task EnsureAnotherAdminAsync(Member member, string what, CancellationToken cancellationToken)
    {
        if (!await db.Users.AnyAsync(m => m.Id != member.Id && m.Role == MemberRole.TenantAdmin && m.DisabledAt == null, cancellationToken))
        {
            throw new DomainException($"{member.Email} is the last active tenant admin of this organisation: make another member a tenant admin before you {what}.");
        }
    }

    private async Task<Member> FindAsync(Guid memberId, CancellationToken cancellationToken) =>
        await db.Users.SingleOrDefaultAsync(m => m.Id == memberId, cancellationToken) ?? throw new MemberNotFoundException(memberId);

    private static string Target(Member member) => $"member/{member.Email}";
}
