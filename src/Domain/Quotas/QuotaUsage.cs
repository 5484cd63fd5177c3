namespace StreamSpace.Domain.Quotas;

/// <summary>What live sessions hold right now (running, starting, resuming, or still stopping).</summary>
public sealed record QuotaUsage(long MemoryBytes, int CpuMillicores, int Sessions)
{
    public static QuotaUsage Zero { get; } = new(0, 0, 0);
}
