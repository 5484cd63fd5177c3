namespace StreamSpace.Domain.Quotas;

/// <summary>Per-member quotas that replace the tier's (the README's <c>User</c> document: <c>spec.quotas</c>); null keeps the tier's.</summary>
public sealed record QuotaOverrides(long? MemoryBytes, int? MaxSessions, long? StorageBytes, TimeSpan? MaxSessionDuration)
{
    public static QuotaOverrides None { get; } = new(null, null, null, null);
}
