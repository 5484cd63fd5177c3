namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>What loading the global catalog did; <see cref="Skipped"/> are names some tenant already uses for its own template.</summary>
public sealed record CatalogSeedOutcome(int Added, int Updated, int Unchanged, IReadOnlyList<string> Skipped);
