using StreamSpace.Domain.Sessions;

namespace StreamSpace.Infrastructure.Features.Platform;

/// <summary>The whole installation's load against what the runtime can hold.</summary>
public sealed record Capacity(int RunningSessions, int LiveSessions, long MemoryReservedBytes, RuntimeCapacity Runtime)
{
    public double MemoryShare => Runtime.MemoryBytes == 0 ? 0 : (double)MemoryReservedBytes / Runtime.MemoryBytes;
}
