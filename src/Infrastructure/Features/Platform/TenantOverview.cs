using StreamSpace.Domain.Tenants;

namespace StreamSpace.Infrastructure.Features.Platform;

/// <summary>
/// A tenant as an operator sees it: its plan caps and what it uses of them. Memory is what its live sessions reserve;
/// storage is the home quota of the members who have a home (the same sum admission checks against the plan).
/// </summary>
public sealed record TenantOverview(
    Guid Id,
    string Slug,
    string DisplayName,
    TenantStatus Status,
    PlanCaps Plan,
    int Members,
    int LiveSessions,
    int RunningSessions,
    long MemoryReservedBytes,
    long StorageAllocatedBytes,
    DateTimeOffset CreatedAt)
{
    public bool IsPlatform => Slug == Tenant.PlatformSlug;
}
