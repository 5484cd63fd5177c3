using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Sessions.Kubernetes;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Workers.Kubernetes;

/// <summary>A Template applied in a tenant's namespace becomes (or updates) that tenant's template, through the portal's YAML import.</summary>
public sealed class TemplateResourceImport(IKubernetes client, StreamSpaceDb db, TenantContext tenantContext, TenantTemplates templates, TimeProvider time)
{
    public const string Plural = "templates";
    public const string Imported = "Imported";

    public async Task HandleAsync(WatchEventType type, JsonElement value, CancellationToken cancellationToken)
    {
        var resource = JsonNode.Parse(value.GetRawText())!.AsObject();
        var metadata = resource["metadata"]!;
        var name = metadata["name"]!.GetValue<string>();
        var ns = metadata["namespace"]?.GetValue<string>();
        long? generation = metadata["generation"] is { } g ? g.GetValue<long>() : null;
        var status = resource["status"] is { } s ? KubernetesCalls.Read<SessionResourceStatus>(JsonSerializer.SerializeToElement(s)) : null;
        if (type is not (WatchEventType.Added or WatchEventType.Modified)
            || ResourceConditions.Answered(status, Imported, generation)
            || ResourceConditions.TenantSlug(ns) is not { } slug
            || await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == slug, cancellationToken) is not { } tenant)
        {
            return;
        }

        tenantContext.Use(tenant);

        // The document as a person would write it: JSON is YAML, and the importer refuses fields it does not know.
        var document = new JsonObject
        {
            ["apiVersion"] = resource["apiVersion"]?.DeepClone(),
            ["kind"] = resource["kind"]?.DeepClone(),
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = resource["spec"]?.DeepClone(),
        }.ToJsonString();
        var own = await db.Templates.AnyAsync(t => t.Name == name && t.TenantId != null, cancellationToken);
        var result = own ? await templates.UpdateAsync(name, document, cancellationToken) : await templates.ImportAsync(document, cancellationToken);
        var message = result.Succeeded
            ? $"In the catalog of {tenant.DisplayName}."
            : string.Join("; ", result.Problems.Select(p => p.Field is null ? p.Message : $"{p.Field}: {p.Message}"));
        await KubernetesCalls.RetryOnConflictAsync(
            () => client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
                KubernetesCalls.Merge(new
                {
                    status = new
                    {
                        message,
                        conditions = new[] { ResourceConditions.Of(Imported, result.Succeeded, result.Succeeded ? (own ? "Updated" : "Created") : "Invalid", message, generation, time.GetUtcNow()) },
                    },
                }),
                SessionLabels.Group, SessionLabels.Version, ns, Plural, name, fieldManager: SessionLabels.FieldManager, cancellationToken: cancellationToken),
            cancellationToken);
    }
}
