using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Workers.Kubernetes;

/// <summary>
/// A Template applied in a tenant's namespace becomes (or updates) that tenant's template, through the portal's YAML import.
/// Deleting the resource disables the template, as the portal's admin would: it leaves the catalog and new launches are
/// refused, while sessions and usage history that refer to it keep it; applying the resource again enables it.
/// </summary>
public sealed class TemplateResourceImport(
    IKubernetes client,
    StreamSpaceDb db,
    TenantContext tenantContext,
    TenantTemplates templates,
    TimeProvider time,
    ILogger<TemplateResourceImport> logger)
{
    public const string Plural = "templates";

    public async Task HandleAsync(WatchEventType type, JsonElement value, CancellationToken cancellationToken)
    {
        if (type == WatchEventType.Deleted)
        {
            await DisableAsync(value, cancellationToken);
            return;
        }

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
        var own = await IsTenantTemplateAsync(name, cancellationToken);
        var result = own ? await templates.UpdateAsync(name, document, cancellationToken) : await templates.ImportAsync(document, cancellationToken);
        if (result.Succeeded && own && type == WatchEventType.Added)
        {
            // Created again after a delete disabled it (an edit keeps whatever the portal's admin chose).
            await templates.EnableAsync(name, cancellationToken);
        }

        var message = result.Succeeded
            ? $"In the catalog of {resource.Tenant.DisplayName}."
            : string.Join("; ", result.Problems.Select(p => p.Field is null ? p.Message : $"{p.Field}: {p.Message}"));
        await resource.AnswerAsync(client, Plural, result.Succeeded, result.Succeeded ? (own ? "Updated" : "Created") : "Invalid", message, time.GetUtcNow(), cancellationToken);
    }

    private async Task DisableAsync(JsonElement value, CancellationToken cancellationToken)
    {
        var metadata = value.GetProperty("metadata");
        var name = metadata.GetProperty("name").GetString()!;
        var ns = metadata.TryGetProperty("namespace", out var nsValue) ? nsValue.GetString() : null;
        var status = value.TryGetProperty("status", out var statusValue) ? KubernetesCalls.Read<SessionResourceStatus>(statusValue) : null;

        // Only a template this resource put in the catalog: not a global one, nor one whose import was refused.
        if (status?.Conditions?.Any(c => c is { Type: ImportedResource.Imported, Status: "True" }) != true
            || await ImportedResource.UseTenantAsync(ns, db, tenantContext, cancellationToken) is not { } tenant
            || !await IsTenantTemplateAsync(name, cancellationToken))
        {
            return;
        }

        await templates.DisableAsync(name, cancellationToken);
        logger.LogInformation("Template resource {Namespace}/{Name} deleted: the template is disabled in {Tenant}", ns, name, tenant.Slug);
    }

    /// <summary>Whether the current tenant has its own template of this name (global templates have no tenant).</summary>
    private Task<bool> IsTenantTemplateAsync(string name, CancellationToken cancellationToken) =>
        db.Templates.AnyAsync(t => t.Name == name && t.TenantId != null, cancellationToken);
}
