namespace StreamSpace.Domain.Sessions;

/// <summary>What the session runtime can hold in total, for the operators' capacity overview.</summary>
public interface IRuntimeCapacity
{
    Task<RuntimeCapacity> ReadAsync(CancellationToken cancellationToken);
}
