using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Workers.Kubernetes;

/// <summary>A Template or User resource to import: its tenant (set as the current one) and the generation to answer for.</summary>
public sealed record ImportedResource(JsonObject Body, string Name, string Namespace, long? Generation, Tenant Tenant)
{
    public const string Imported = "Imported";

    /// <summary>The resource when it is an unanswered add or change in a tenant namespace; null when there is nothing to do.</summary>
    public static async Task<ImportedResource?> OpenAsync(
        WatchEventType type, JsonElement value, StreamSpaceDb db, TenantContext tenantContext, CancellationToken cancellationToken)
    {
        var body = JsonNode.Parse(value.GetRawText())!.AsObject();
        var metadata = body["metadata"]!;
        long? generation = metadata["generation"] is { } g ? g.GetValue<long>() : null;
        var status = body["status"] is { } s ? KubernetesCalls.Read<SessionResourceStatus>(JsonSerializer.SerializeToElement(s)) : null;
        var ns = metadata["namespace"]?.GetValue<string>();
        if (type is not (WatchEventType.Added or WatchEventType.Modified)
            || ResourceConditions.Answered(status, Imported, generation)
            || await UseTenantAsync(ns, db, tenantContext, cancellationToken) is not { } tenant)
        {
            return null;
        }

        return new ImportedResource(body, metadata["name"]!.GetValue<string>(), ns!, generation, tenant);
    }

    /// <summary>The tenant whose namespace <paramref name="ns"/> is, set as the current one; null for any other namespace.</summary>
    public static async Task<Tenant?> UseTenantAsync(string? ns, StreamSpaceDb db, TenantContext tenantContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(tenantContext);
        return SessionLabels.TenantSlug(ns) is { } slug ? await TenantScope.EnterAsync(db, tenantContext, slug, cancellationToken) : null;
    }

    /// <summary>Writes the import's answer as the <c>Imported</c> condition and message of the resource's status.</summary>
    public Task AnswerAsync(IKubernetes client, string plural, bool ok, string reason, string message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return KubernetesCalls.RetryOnConflictAsync(
            () => client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
                KubernetesCalls.Merge(new { status = new { message, conditions = new[] { ResourceConditions.Of(Imported, ok, reason, message, Generation, now) } } }),
                SessionLabels.Group, SessionLabels.Version, Namespace, plural, Name, fieldManager: SessionLabels.FieldManager, cancellationToken: cancellationToken),
            cancellationToken);
    }
}
