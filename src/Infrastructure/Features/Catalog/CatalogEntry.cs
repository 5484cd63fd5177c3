using StreamSpace.Domain.Templates;

namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>One template as the catalog lists it: what a card shows and what a search matches.</summary>
public sealed record CatalogEntry(
    string Name,
    string DisplayName,
    string Description,
    string Category,
    string Icon,
    long MemoryBytes,
    int CpuMillicores,
    bool RunsLocally,
    IReadOnlyList<string> Tags,
    StreamProtocol Protocol,
    bool IsTenantOwn)
{
    /// <summary>Case-insensitive substring of name, display name, description or category, or exactly one of the tags.</summary>
    public bool Matches(string text) =>
        DisplayName.Contains(text, StringComparison.OrdinalIgnoreCase)
        || Name.Contains(text, StringComparison.OrdinalIgnoreCase)
        || Description.Contains(text, StringComparison.OrdinalIgnoreCase)
        || Category.Contains(text, StringComparison.OrdinalIgnoreCase)
        || Tags.Contains(text.ToLowerInvariant(), StringComparer.Ordinal);
}
