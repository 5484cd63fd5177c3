namespace StreamSpace.Domain.Quotas;

/// <summary>What quota arithmetic needs of one live session: its size and whether it runs (only a running one can hibernate).</summary>
public sealed record LiveSession(bool Running, long MemoryBytes, int CpuMillicores);
