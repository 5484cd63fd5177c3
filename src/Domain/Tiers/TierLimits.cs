namespace StreamSpace.Domain.Tiers;

public sealed record TierLimits(
    long MemoryBytes,
    int CpuMillicores,
    int MaxSessions,
    long StorageBytes,
    TimeSpan MaxSessionDuration,
    TimeSpan IdleTimeout);
