namespace StreamSpace.Infrastructure.Features.Tiers;

/// <summary>No such tier in this tenant; answered 404.</summary>
public sealed class TierNotFoundException(Guid tierId) : Exception($"Tier {tierId} was not found.")
{
    public Guid TierId { get; } = tierId;
}
