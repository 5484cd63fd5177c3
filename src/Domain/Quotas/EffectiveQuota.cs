using StreamSpace.Domain.Tiers;

namespace StreamSpace.Domain.Quotas;

/// <summary>What one member may use: their tier with their overrides applied.</summary>
public sealed record EffectiveQuota(
    string TierName,
    long MemoryBytes,
    int CpuMillicores,
    int MaxSessions,
    long StorageBytes,
    TimeSpan MaxSessionDuration,
    TimeSpan IdleTimeout,
    bool Overridden)
{
    public static EffectiveQuota Of(Tier tier, QuotaOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(tier);
        ArgumentNullException.ThrowIfNull(overrides);
        return new EffectiveQuota(
            tier.Name,
            overrides.MemoryBytes ?? tier.MemoryBytes,
            tier.CpuMillicores,
            overrides.MaxSessions ?? tier.MaxSessions,
            overrides.StorageBytes ?? tier.StorageBytes,
            overrides.MaxSessionDuration ?? tier.MaxSessionDuration,
            tier.IdleTimeout,
            overrides != QuotaOverrides.None);
    }

    /// <summary>How long one running period lasts when neither the tier nor an override sets a maximum.</summary>
    public static readonly TimeSpan DefaultRunningPeriod = TimeSpan.FromHours(8);

    /// <summary>How long one running period of a session may last: the maximum duration, or eight hours when it is unset.</summary>
    public TimeSpan RunningPeriod => MaxSessionDuration > TimeSpan.Zero ? MaxSessionDuration : DefaultRunningPeriod;

    /// <summary>Whose limit it is, for messages: "tier pro" or "tier pro with your overrides".</summary>
    public string Source => Overridden ? $"tier {TierName} with your overrides" : $"tier {TierName}";
}
