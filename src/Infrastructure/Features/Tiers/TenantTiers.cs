using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Quotas;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Tiers;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;

namespace StreamSpace.Infrastructure.Features.Tiers;

/// <summary>
/// A tenant admin's tiers: create, change, delete, and the preview of what lower limits would do to running sessions.
/// A tier that members are in cannot be deleted (they would silently fall to the default tier), nor can the default tier.
/// </summary>
public sealed partial class TenantTiers(StreamSpaceDb db, AuditTrail audit, TimeProvider time)
{
    public async Task<Tier> CreateAsync(string? name, TierLimits limits, TierDlp dlp, CancellationToken cancellationToken)
    {
        name = name?.Trim() ?? string.Empty;
        if (!NameGrammar().IsMatch(name))
        {
            throw new FieldException("name", "A tier name uses lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen, at most 63 characters.");
        }

        if (await db.Tiers.AnyAsync(t => t.Name == name, cancellationToken))
        {
            throw new FieldException("name", $"There is already a tier \"{name}\".");
        }

        var tier = Tier.Create(name, limits, dlp);
        db.Tiers.Add(tier);
        audit.Record(AuditActions.TierCreated, Target(tier), Summary(tier.Limits, tier.Dlp));
        await db.SaveChangesAsync(cancellationToken);
        return tier;
    }

    public async Task UpdateAsync(Guid tierId, TierLimits limits, TierDlp dlp, CancellationToken cancellationToken)
    {
        var tier = await FindAsync(tierId, cancellationToken);
        var changes = Differences(tier.Limits, tier.Dlp, limits, dlp);
        if (changes.Count == 0)
        {
            return;
        }

        tier.Change(limits, dlp);
        audit.Record(AuditActions.TierUpdated, Target(tier), string.Join("; ", changes));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task DeleteAsync(Guid tierId, CancellationToken cancellationToken)
    {
        var tier = await FindAsync(tierId, cancellationToken);
        if (tier.IsDefault)
        {
            throw new DomainException($"The tier \"{tier.Name}\" cannot be deleted: members without a tier are in it.");
        }

        var members = await db.Users.CountAsync(m => m.TierId == tier.Id, cancellationToken);
        if (members > 0)
        {
            throw new DomainException($"{Count(members, "member is", "members are")} in the tier \"{tier.Name}\": move them to another tier before deleting it.");
        }

        db.Tiers.Remove(tier);
        audit.Record(AuditActions.TierDeleted, Target(tier));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// What saving <paramref name="limits"/> on the tier would do now, from the sessions that are live: the same arithmetic
    /// <c>quotas.enforce</c> applies after the save, plus the deadlines and idle timeouts the sweeps then act on.
    /// </summary>
    public async Task<TierImpact> PreviewAsync(Guid tierId, TierLimits limits, CancellationToken cancellationToken)
    {
        var tier = await FindAsync(tierId, cancellationToken);
        var tiers = await db.Tiers.AsNoTracking().ToListAsync(cancellationToken);
        var proposed = Tier.Create(tier.Name, limits, tier.Dlp);
        var members = (await db.Users.AsNoTracking().ToListAsync(cancellationToken))
            .Where(m => Tier.Resolve(m.TierId, tiers).Id == tier.Id)
            .ToDictionary(m => m.Id);
        var memberIds = members.Keys.ToList();
        var live = await db.Sessions.AsNoTracking()
            .Where(s => memberIds.Contains(s.MemberId) && SessionStateMachine.LiveStates.Contains(s.State))
            .OrderBy(s => s.CreatedAt)
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();

        var hibernated = 0;
        var overMemory = 0;
        var overCpu = 0;
        var overSessions = 0;
        foreach (var group in live.GroupBy(s => s.MemberId))
        {
            var sessions = group.ToList();
            var quota = EffectiveQuota.Of(proposed, members[group.Key].Overrides);
            overSessions += sessions.Count > quota.MaxSessions ? 1 : 0;
            overMemory += sessions.Sum(s => s.MemoryBytes) > quota.MemoryBytes ? 1 : 0;
            overCpu += sessions.Sum(s => s.CpuMillicores) > quota.CpuMillicores ? 1 : 0;
            hibernated += QuotaCheck.SessionsToHibernate([.. sessions.Select(s => new LiveSession(s.State == SessionState.Running, s.MemoryBytes, s.CpuMillicores))], quota).Count;
        }

        var effects = new List<string>();
        if (hibernated > 0)
        {
            effects.Add($"{Count(hibernated, "running session", "running sessions")} would be hibernated to bring their owners within the new limits.");
        }

        if (overSessions > 0)
        {
            effects.Add($"{Count(overSessions, "member has", "members have")} more live sessions than the new limit of {limits.MaxSessions}.");
        }

        if (overMemory > 0)
        {
            effects.Add($"{Count(overMemory, "member's sessions exceed", "members' sessions exceed")} the new memory limit of {Quantity.FormatBytes(limits.MemoryBytes)}.");
        }

        if (overCpu > 0)
        {
            effects.Add($"{Count(overCpu, "member's sessions exceed", "members' sessions exceed")} the new CPU limit of {Quantity.FormatMillicores(limits.CpuMillicores)}.");
        }

        var running = live.Where(s => s.State == SessionState.Running && s.StartedAt is not null).ToList();
        var pastDuration = running.Count(s => EffectiveQuota.Of(proposed, members[s.MemberId].Overrides).MaxSessionDuration is var max && s.StartedAt + max <= now);
        var shortened = running.Count(s => EffectiveQuota.Of(proposed, members[s.MemberId].Overrides).MaxSessionDuration is var max
            && s.StartedAt + max > now && s.Deadline is { } deadline && s.StartedAt + max < deadline);
        if (pastDuration > 0)
        {
            effects.Add($"{Count(pastDuration, "running session has", "running sessions have")} run longer than the new maximum duration of {Quantity.FormatDuration(limits.MaxSessionDuration)} and would hibernate.");
        }

        if (shortened > 0)
        {
            effects.Add($"{Count(shortened, "running session ends", "running sessions end")} earlier: the new maximum duration moves {(shortened == 1 ? "its" : "their")} deadline.");
        }

        if (limits.IdleTimeout > TimeSpan.Zero)
        {
            var idle = running.Count(s => !s.KeepAwake && s.IdleSince is { } since && since + limits.IdleTimeout <= now);
            if (idle > 0)
            {
                effects.Add($"{Count(idle, "running session has", "running sessions have")} been idle longer than the new idle timeout of {Quantity.FormatDuration(limits.IdleTimeout)} and would hibernate.");
            }
        }

        return new TierImpact(effects);
    }

    private async Task<Tier> FindAsync(Guid tierId, CancellationToken cancellationToken) =>
        await db.Tiers.SingleOrDefaultAsync(t => t.Id == tierId, cancellationToken) ?? throw new TierNotFoundException(tierId);

    private static List<string> Differences(TierLimits before, TierDlp dlpBefore, TierLimits after, TierDlp dlpAfter)
    {
        var changes = new List<string>();
        void Add(string field, string from, string to)
        {
            if (from != to)
            {
                changes.Add($"{field} {from} → {to}");
            }
        }

        Add("memory", Quantity.FormatBytes(before.MemoryBytes), Quantity.FormatBytes(after.MemoryBytes));
        Add("cpu", Quantity.FormatMillicores(before.CpuMillicores), Quantity.FormatMillicores(after.CpuMillicores));
        Add("maxSessions", Number(before.MaxSessions), Number(after.MaxSessions));
        Add("storage", Quantity.FormatBytes(before.StorageBytes), Quantity.FormatBytes(after.StorageBytes));
        Add("maxSessionDuration", Quantity.FormatDuration(before.MaxSessionDuration), Quantity.FormatDuration(after.MaxSessionDuration));
        Add("idleTimeout", Quantity.FormatDuration(before.IdleTimeout), Quantity.FormatDuration(after.IdleTimeout));
        Add("clipboardIn", OnOff(dlpBefore.ClipboardIn), OnOff(dlpAfter.ClipboardIn));
        Add("clipboardOut", OnOff(dlpBefore.ClipboardOut), OnOff(dlpAfter.ClipboardOut));
        Add("fileTransfer", OnOff(dlpBefore.FileTransfer), OnOff(dlpAfter.FileTransfer));
        Add("watermark", OnOff(dlpBefore.Watermark), OnOff(dlpAfter.Watermark));
        return changes;
    }

    private static string Summary(TierLimits limits, TierDlp dlp) =>
        $"memory {Quantity.FormatBytes(limits.MemoryBytes)}, cpu {Quantity.FormatMillicores(limits.CpuMillicores)}, maxSessions {Number(limits.MaxSessions)}, "
        + $"storage {Quantity.FormatBytes(limits.StorageBytes)}, maxSessionDuration {Quantity.FormatDuration(limits.MaxSessionDuration)}, "
        + $"idleTimeout {Quantity.FormatDuration(limits.IdleTimeout)}, clipboardIn {OnOff(dlp.ClipboardIn)}, clipboardOut {OnOff(dlp.ClipboardOut)}, "
        + $"fileTransfer {OnOff(dlp.FileTransfer)}, watermark {OnOff(dlp.Watermark)}";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string OnOff(bool value) => value ? "on" : "off";

    private static string Count(int count, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? one : many)}");

    private static string Target(Tier tier) => $"tier/{tier.Name}";

    [GeneratedRegex("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NameGrammar();
}
