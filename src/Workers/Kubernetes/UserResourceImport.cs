using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Members;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Workers.Kubernetes;

/// <summary>
/// A User applied in a tenant's namespace sets that member's tier and quota overrides (the README's <c>spec.tier</c> and
/// <c>spec.quotas</c>) through the same importer as the portal's User upload. Members are not created this way: they sign
/// up or are invited in the portal.
/// </summary>
public sealed class UserResourceImport(IKubernetes client, StreamSpaceDb db, TenantContext tenantContext, TenantMembers members, TimeProvider time)
{
    public const string Plural = "users";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public async Task HandleAsync(WatchEventType type, JsonElement value, CancellationToken cancellationToken)
    {
        if (await ImportedResource.OpenAsync(type, value, db, tenantContext, cancellationToken) is not { } resource)
        {
            return;
        }

        // Only what a User document may hold: the server's metadata (uid, managedFields…) is not the member's business.
        var document = new JsonObject
        {
            ["apiVersion"] = UserYaml.ApiVersion,
            ["kind"] = UserYaml.Kind,
            ["metadata"] = new JsonObject { ["name"] = resource.Name },
            ["spec"] = resource.Body["spec"]?.DeepClone(),
        };

        // JSON is YAML, so the portal's reader takes the document as it is.
        var result = await members.ImportAsync(document.ToJsonString(Indented), cancellationToken);
        var problem = result.Succeeded ? null : string.Join("; ", result.Problems.Select(p => p.Field is null ? p.Message : $"{p.Field}: {p.Message}"));
        await resource.AnswerAsync(
            client, Plural, problem is null, problem is null ? "Applied" : "Refused", problem ?? $"Tier and quotas of {resource.Name} set.", time.GetUtcNow(), cancellationToken);
    }
}
