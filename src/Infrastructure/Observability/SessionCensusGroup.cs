using StreamSpace.Domain.Sessions;

namespace StreamSpace.Infrastructure.Observability;

/// <summary>The sessions of one tenant in one state: how many, what they reserve, and when the longest-waiting one got there.</summary>
public sealed record SessionCensusGroup(
    string Tenant, SessionState State, int Count, long MemoryBytes, int CpuMillicores, DateTimeOffset OldestChange);
