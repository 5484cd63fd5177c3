namespace StreamSpace.Infrastructure.Features.Catalog;

/// <param name="Templates">The matching templates, by category then display name.</param>
/// <param name="Categories">Every category with at least one template the tenant can see, for the filter.</param>
public sealed record CatalogSearch(IReadOnlyList<CatalogEntry> Templates, IReadOnlyList<string> Categories);
