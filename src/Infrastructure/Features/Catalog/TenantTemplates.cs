using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>
/// What a tenant admin does with templates: create, edit and import the organisation's own (from Template YAML), export
/// any, and switch global ones on or off for the organisation. Every change is audited in the same commit.
/// </summary>
public sealed class TenantTemplates(StreamSpaceDb db, AuditTrail audit, TenantContext tenantContext, TenantCatalog catalog, TimeProvider time)
{
    /// <summary>Adds every template of the text, or none when any document has a problem or uses a taken name.</summary>
    public Task<TemplateReadResult> ImportAsync(string yaml, CancellationToken cancellationToken) =>
        AddAsync(yaml, AuditActions.TemplateImported, cancellationToken);

    /// <summary>Adds one template written with the form (as one document).</summary>
    public Task<TemplateReadResult> CreateAsync(string yaml, CancellationToken cancellationToken) =>
        AddAsync(yaml, AuditActions.TemplateCreated, cancellationToken);

    /// <summary>Replaces the organisation's own template <paramref name="name"/> with the single document in <paramref name="yaml"/>.</summary>
    public async Task<TemplateReadResult> UpdateAsync(string name, string yaml, CancellationToken cancellationToken)
    {
        var template = await OwnAsync(name, cancellationToken);
        var result = TemplateYaml.Read(yaml);
        if (!result.Succeeded)
        {
            return result;
        }

        if (result.Templates is not [var parsed])
        {
            return TemplateReadResult.Failed(new TemplateProblem(1, null, "an edit takes exactly one Template document"));
        }

        if (parsed.Definition.Name != template.Name)
        {
            return TemplateReadResult.Failed(new TemplateProblem(parsed.NameLine, "metadata.name", $"cannot change from \"{template.Name}\"; import a copy under the new name instead"));
        }

        template.Update(parsed.Definition);
        audit.Record(AuditActions.TemplateUpdated, Target(template.Name));
        await db.SaveChangesAsync(cancellationToken);
        catalog.Forget();
        return result;
    }

    /// <summary>Any template this tenant can see, global or its own, as a Template document; null when there is none.</summary>
    public async Task<string?> ExportAsync(string name, CancellationToken cancellationToken)
    {
        var template = await db.Templates.AsNoTracking().SingleOrDefaultAsync(t => t.Name == name, cancellationToken);
        return template is null ? null : TemplateYaml.Write(template.ToDefinition());
    }

    /// <summary>Hides a template from the organisation's catalog and refuses launches of it; repeating it changes nothing.</summary>
    public async Task DisableAsync(string name, CancellationToken cancellationToken)
    {
        var template = await VisibleAsync(name, cancellationToken);
        if (await db.DisabledTemplates.AnyAsync(d => d.TemplateId == template.Id, cancellationToken))
        {
            return;
        }

        db.DisabledTemplates.Add(DisabledTemplate.Create(template.Id, time.GetUtcNow()));
        audit.Record(AuditActions.TemplateDisabled, Target(template.Name));
        await db.SaveChangesAsync(cancellationToken);
        catalog.Forget();
    }

    public async Task EnableAsync(string name, CancellationToken cancellationToken)
    {
        var template = await VisibleAsync(name, cancellationToken);
        var choice = await db.DisabledTemplates.SingleOrDefaultAsync(d => d.TemplateId == template.Id, cancellationToken);
        if (choice is null)
        {
            return;
        }

        db.DisabledTemplates.Remove(choice);
        audit.Record(AuditActions.TemplateEnabled, Target(template.Name));
        await db.SaveChangesAsync(cancellationToken);
        catalog.Forget();
    }

    private async Task<TemplateReadResult> AddAsync(string yaml, string action, CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("Tenant templates are managed inside a tenant.");
        var result = TemplateYaml.Read(yaml);
        if (!result.Succeeded)
        {
            return result;
        }

        var names = result.Templates.Select(t => t.Definition.Name).ToList();
        var taken = await db.Templates.Where(t => names.Contains(t.Name)).Select(t => t.Name).ToListAsync(cancellationToken);
        if (taken.Count > 0)
        {
            return new TemplateReadResult([], [.. result.Templates
                .Where(t => taken.Contains(t.Definition.Name))
                .Select(t => new TemplateProblem(t.NameLine, "metadata.name", $"\"{t.Definition.Name}\" is already the name of a template in the catalog"))]);
        }

        foreach (var parsed in result.Templates)
        {
            db.Templates.Add(Template.CreateForTenant(tenantId, parsed.Definition));
            audit.Record(action, Target(parsed.Definition.Name), parsed.Definition.Image);
        }

        await db.SaveChangesAsync(cancellationToken);
        catalog.Forget();
        return result;
    }

    private async Task<Template> VisibleAsync(string name, CancellationToken cancellationToken) =>
        await db.Templates.SingleOrDefaultAsync(t => t.Name == name, cancellationToken)
            ?? throw new TemplateNotFoundException(name);

    private async Task<Template> OwnAsync(string name, CancellationToken cancellationToken) =>
        await db.Templates.SingleOrDefaultAsync(t => t.Name == name && t.TenantId != null, cancellationToken)
            ?? throw new TemplateNotFoundException(name);

    private static string Target(string name) => $"template/{name}";
}
