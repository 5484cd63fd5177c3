using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>
/// Brings the global templates in the database up to date with the shipped catalog, idempotently: new ones are added,
/// changed ones updated, unchanged ones left alone. Tenants' own templates and their enable/disable choices live in other
/// rows and are never touched; a global template that was dropped from the files stays, since sessions refer to it.
/// </summary>
public sealed class TemplateCatalogSeed(StreamSpaceDb db)
{
    /// <param name="definitions">The catalog to load.</param>
    /// <param name="takenNames">Names tenants use for their own templates: a global one may not shadow them.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    public async Task<CatalogSeedOutcome> ApplyAsync(
        IReadOnlyList<TemplateDefinition> definitions, IReadOnlySet<string> takenNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(takenNames);
        var existing = await db.Templates.Where(t => t.TenantId == null).ToDictionaryAsync(t => t.Name, cancellationToken);
        int added = 0, updated = 0, unchanged = 0;
        var skipped = new List<string>();
        foreach (var definition in definitions)
        {
            if (existing.TryGetValue(definition.Name, out var template))
            {
                if (template.ToDefinition().Equals(definition))
                {
                    unchanged++;
                    continue;
                }

                template.Update(definition);
                updated++;
            }
            else if (takenNames.Contains(definition.Name))
            {
                skipped.Add(definition.Name);
            }
            else
            {
                db.Templates.Add(Template.CreateGlobal(definition));
                added++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return new CatalogSeedOutcome(added, updated, unchanged, skipped);
    }
}
