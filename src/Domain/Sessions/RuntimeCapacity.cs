namespace StreamSpace.Domain.Sessions;

/// <summary>The runtime's memory for sessions, and where that number comes from (shown beside it).</summary>
public sealed record RuntimeCapacity(long MemoryBytes, string Source);
