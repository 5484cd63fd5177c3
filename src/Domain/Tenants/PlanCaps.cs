namespace StreamSpace.Domain.Tenants;

/// <summary>What the platform operator allows a tenant in total, across all its members.</summary>
public sealed record PlanCaps(long MemoryBytes, int RunningSessions, int Members, long StorageBytes)
{
    public static PlanCaps Default { get; } = new(
        MemoryBytes: 64L * 1024 * 1024 * 1024,
        RunningSessions: 20,
        Members: 50,
        StorageBytes: 500L * 1024 * 1024 * 1024);
}
