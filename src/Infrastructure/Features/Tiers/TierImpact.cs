namespace StreamSpace.Infrastructure.Features.Tiers;

/// <summary>What saving new limits would do to the sessions running now, one sentence per effect; empty when nothing changes.</summary>
public sealed record TierImpact(IReadOnlyList<string> Effects)
{
    public static TierImpact None { get; } = new([]);
}
