namespace StreamSpace.Domain.Sessions;

/// <summary>
/// The free and total space of the filesystem that holds a member's home, as the member's own writes see it (blocks
/// reserved for root do not count as free).
/// </summary>
public sealed record HomeSpace(long AvailableBytes, long TotalBytes)
{
    /// <summary>Below this much room an app's next save fails with ENOSPC: 1 MiB, or 2 % of a filesystem smaller than 50 MiB.</summary>
    public long FullBelowBytes => Math.Min(1L << 20, TotalBytes / 50);

    /// <summary>Whether apps can no longer save in the home.</summary>
    public bool IsFull => AvailableBytes < FullBelowBytes;
}
