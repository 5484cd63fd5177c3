using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>The templates a member of the current tenant may launch, filtered as the catalog page and the API search them.</summary>
public static class CatalogSearch
{
    public const int MaxQueryLength = 100;

    /// <summary>Enabled templates, optionally of one category and matching <paramref name="text"/> in name, description, category or tags.</summary>
    public static IQueryable<Template> Visible(StreamSpaceDb db, string? text, string? category)
    {
        ArgumentNullException.ThrowIfNull(db);
        var query = db.Templates.Where(t => !db.DisabledTemplates.Any(d => d.TemplateId == t.Id));
        if (!string.IsNullOrEmpty(category))
        {
            query = query.Where(t => t.Category == category);
        }

        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length > MaxQueryLength)
        {
            trimmed = trimmed[..MaxQueryLength];
        }

        if (trimmed.Length > 0)
        {
            var pattern = "%" + trimmed.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
            var tag = trimmed.ToLowerInvariant();
            query = query.Where(t =>
                EF.Functions.ILike(t.DisplayName, pattern) || EF.Functions.ILike(t.Name, pattern)
                || EF.Functions.ILike(t.Description, pattern) || EF.Functions.ILike(t.Category, pattern)
                || t.Tags.Contains(tag));
        }

        return query;
    }
}
