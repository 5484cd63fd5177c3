using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>Brings the global templates in the database up to date with the built-in list, idempotently.</summary>
public sealed class TemplateCatalogSeed(StreamSpaceDb db)
{
    public async Task<int> ApplyAsync(IReadOnlyList<TemplateDefinition> definitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var existing = await db.Templates.Where(t => t.TenantId == null).ToDictionaryAsync(t => t.Name, cancellationToken);
        foreach (var definition in definitions)
        {
            if (existing.TryGetValue(definition.Name, out var template))
            {
                template.Update(definition);
            }
            else
            {
                db.Templates.Add(Template.CreateGlobal(definition));
            }
        }

        return await db.SaveChangesAsync(cancellationToken);
    }
}
