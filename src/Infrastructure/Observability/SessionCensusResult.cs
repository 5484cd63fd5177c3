namespace StreamSpace.Infrastructure.Observability;

/// <summary>Every tenant's slug (so tenants without sessions report zero) and the sessions grouped by tenant and state.</summary>
public sealed record SessionCensusResult(IReadOnlyList<string> Tenants, IReadOnlyList<SessionCensusGroup> Groups);
