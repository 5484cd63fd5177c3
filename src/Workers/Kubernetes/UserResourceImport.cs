using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Quotas;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Workers.Kubernetes;

/// <summary>
/// A User applied in a tenant's namespace sets that member's tier and quota overrides (the README's <c>spec.tier</c> and
/// <c>spec.quotas</c>). Members are not created this way: they sign up or are invited in the portal.
/// </summary>
public sealed class UserResourceImport(IKubernetes client, StreamSpaceDb db, TenantContext tenantContext, AuditTrail audit, TimeProvider time)
{
    public const string Plural = "users";

    public async Task HandleAsync(WatchEventType type, JsonElement value, CancellationToken cancellationToken)
    {
        if (await ImportedResource.OpenAsync(type, value, db, tenantContext, cancellationToken) is not { } resource)
        {
            return;
        }

        var problem = await ApplyAsync(resource.Name, resource.Body["spec"] as JsonObject, cancellationToken);
        await resource.AnswerAsync(
            client, Plural, problem is null, problem is null ? "Applied" : "Refused", problem ?? $"Tier and quotas of {resource.Name} set.", time.GetUtcNow(), cancellationToken);
    }

    private async Task<string?> ApplyAsync(string name, JsonObject? spec, CancellationToken cancellationToken)
    {
        var member = await MemberNames.FindAsync(db, name, cancellationToken);
        if (member is null)
        {
            return $"There is no member \"{name}\"; members join through the portal.";
        }

        if (spec?["tier"]?.GetValue<string>() is { } tierName)
        {
            var tier = await db.Tiers.SingleOrDefaultAsync(t => t.Name == tierName, cancellationToken);
            if (tier is null)
            {
                return $"There is no tier \"{tierName}\".";
            }

            member.TierId = tier.Id;
        }

        var quotas = spec?["quotas"] as JsonObject;
        long? memory = null, storage = null;
        TimeSpan? duration = null;
        if (quotas?["memory"]?.GetValue<string>() is { } memoryText)
        {
            if (!Quantity.TryParseBytes(memoryText, out var bytes))
            {
                return $"quotas.memory: \"{memoryText}\" is not a size such as 16Gi.";
            }

            memory = bytes;
        }

        if (quotas?["storage"]?.GetValue<string>() is { } storageText)
        {
            if (!Quantity.TryParseBytes(storageText, out var bytes))
            {
                return $"quotas.storage: \"{storageText}\" is not a size such as 100Gi.";
            }

            storage = bytes;
        }

        if (quotas?["maxSessionDuration"]?.GetValue<string>() is { } durationText)
        {
            if (!Quantity.TryParseDuration(durationText, out var parsed))
            {
                return $"quotas.maxSessionDuration: \"{durationText}\" is not a duration such as 8h.";
            }

            duration = parsed;
        }

        try
        {
            member.SetOverrides(new QuotaOverrides(memory, quotas?["maxSessions"]?.GetValue<int>(), storage, duration));
        }
        catch (DomainException e)
        {
            return e.Message;
        }

        audit.Record(AuditActions.MemberQuotaImported, $"member/{member.UserName}", JsonSerializer.Serialize(spec));
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}
