using StreamSpace.Domain.Common;
using StreamSpace.Domain.Tenants;

namespace StreamSpace.Domain.Quotas;

/// <summary>The admission arithmetic for one more session: the member's quota first, then the organisation's plan.</summary>
public static class QuotaCheck
{
    public static QuotaRefusal? Admit(
        long memoryBytes,
        int cpuMillicores,
        QuotaUsage member,
        EffectiveQuota quota,
        QuotaUsage tenant,
        PlanCaps plan)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(quota);
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(plan);

        // Each sum is written as a difference: a request near long.MaxValue must be refused, not wrap round and pass.
        if (member.Sessions + 1 > quota.MaxSessions)
        {
            return new("sessions", $"Sessions: 1 requested + {member.Sessions} running > {quota.MaxSessions} allowed by {quota.Source}");
        }

        if (memoryBytes > quota.MemoryBytes - member.MemoryBytes)
        {
            return new("memory", $"Memory: {Bytes(memoryBytes)} requested + {Bytes(member.MemoryBytes)} running > {Bytes(quota.MemoryBytes)} allowed by {quota.Source}");
        }

        if (cpuMillicores > quota.CpuMillicores - member.CpuMillicores)
        {
            return new("cpu", $"CPU: {Cpu(cpuMillicores)} requested + {Cpu(member.CpuMillicores)} running > {Cpu(quota.CpuMillicores)} allowed by {quota.Source}");
        }

        if (tenant.Sessions + 1 > plan.RunningSessions)
        {
            return new("plan-sessions", $"Sessions: 1 requested + {tenant.Sessions} running in your organisation > {plan.RunningSessions} allowed by its plan");
        }

        if (memoryBytes > plan.MemoryBytes - tenant.MemoryBytes)
        {
            return new("plan-memory", $"Memory: {Bytes(memoryBytes)} requested + {Bytes(tenant.MemoryBytes)} running in your organisation > {Bytes(plan.MemoryBytes)} allowed by its plan");
        }

        return null;
    }

    /// <summary>The home a member's first session allocates must fit the plan's storage next to everyone else's.</summary>
    public static QuotaRefusal? AdmitHome(long storageBytes, long allocatedInTenant, PlanCaps plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return storageBytes > plan.StorageBytes - allocatedInTenant
            ? new("plan-storage", $"Storage: {Bytes(storageBytes)} requested + {Bytes(allocatedInTenant)} allocated in your organisation > {Bytes(plan.StorageBytes)} allowed by its plan")
            : null;
    }

    /// <summary>Whether live sessions exceed a (possibly just lowered) quota; what the enforcement job acts on.</summary>
    public static bool Exceeds(QuotaUsage usage, EffectiveQuota quota)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(quota);
        return usage.Sessions > quota.MaxSessions || usage.MemoryBytes > quota.MemoryBytes || usage.CpuMillicores > quota.CpuMillicores;
    }

    /// <summary>
    /// Which sessions enforcement hibernates so the rest fit <paramref name="quota"/>: running ones, newest first (the session a
    /// member just opened is the one they lose least by), until the rest fit. Indexes into <paramref name="liveOldestFirst"/>.
    /// </summary>
    public static IReadOnlyList<int> SessionsToHibernate(IReadOnlyList<LiveSession> liveOldestFirst, EffectiveQuota quota)
    {
        ArgumentNullException.ThrowIfNull(liveOldestFirst);
        ArgumentNullException.ThrowIfNull(quota);
        var kept = liveOldestFirst.Select((session, index) => (session, index)).ToList();
        var hibernate = new List<int>();
        for (var i = kept.Count - 1; i >= 0 && Exceeds(Usage(kept.Select(k => k.session)), quota); i--)
        {
            if (kept[i].session.Running)
            {
                hibernate.Add(kept[i].index);
                kept.RemoveAt(i);
            }
        }

        return hibernate;
    }

    private static QuotaUsage Usage(IEnumerable<LiveSession> live) =>
        live.Aggregate(QuotaUsage.Zero, (sum, s) => new QuotaUsage(sum.MemoryBytes + s.MemoryBytes, sum.CpuMillicores + s.CpuMillicores, sum.Sessions + 1));

    private static string Bytes(long value) => Quantity.FormatBytes(value);

    private static string Cpu(int millicores) => Quantity.FormatMillicores(millicores);
}
