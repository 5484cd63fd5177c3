using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Workers.Kubernetes;

/// <summary>A Template applied in a tenant's namespace becomes (or updates) that tenant's template, through the portal's YAML import.</summary>
public sealed class TemplateResourceImport(IKubernetes client, StreamSpaceDb db, TenantContext tenantContext, TenantTemplates templates, TimeProvider time)
{
    public const string Plural = "templates";

    public async Task HandleAsync(WatchEventType type, JsonElement value, CancellationToken cancellationToken)
    {
        if (await ImportedResource.OpenAsync(type, value, db, tenantContext, cancellationToken) is not { } resource)
        {
            return;
        }

        // The document as a person would write it: JSON is YAML, and the importer refuses fields it does not know.
        var name = resource.Name;
        var document = new JsonObject
        {
            ["apiVersion"] = resource.Body["apiVersion"]?.DeepClone(),
            ["kind"] = resource.Body["kind"]?.DeepClone(),
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = resource.Body["spec"]?.DeepClone(),
        }.ToJsonString();
        var own = await db.Templates.AnyAsync(t => t.Name == name && t.TenantId != null, cancellationToken);
        var result = own ? await templates.UpdateAsync(name, document, cancellationToken) : await templates.ImportAsync(document, cancellationToken);
        var message = result.Succeeded
            ? $"In the catalog of {resource.Tenant.DisplayName}."
            : string.Join("; ", result.Problems.Select(p => p.Field is null ? p.Message : $"{p.Field}: {p.Message}"));
        await resource.AnswerAsync(client, Plural, result.Succeeded, result.Succeeded ? (own ? "Updated" : "Created") : "Invalid", message, time.GetUtcNow(), cancellationToken);
    }
}
