using System.Text.Json;
using k8s;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Workers.Kubernetes;

/// <summary>
/// A Session applied with kubectl becomes a session like any launched in the portal: the member, the template and the quota
/// decide (the same <see cref="MemberSessions"/> launch), and the answer is written on the resource. Deleting the resource
/// terminates the session.
/// </summary>
public sealed class SessionResourceImport(
    IKubernetes client,
    StreamSpaceDb db,
    TenantContext tenantContext,
    MemberSessions sessions,
    TimeProvider time,
    ILogger<SessionResourceImport> logger)
{
    public const string Admitted = "Admitted";

    public async Task HandleAsync(WatchEventType type, JsonElement value, CancellationToken cancellationToken)
    {
        var resource = KubernetesCalls.Read<SessionResource>(value);
        var ns = resource.Metadata.NamespaceProperty;
        if (await ImportedResource.UseTenantAsync(ns, db, tenantContext, cancellationToken) is not { } tenant)
        {
            return;
        }

        if (type == WatchEventType.Deleted)
        {
            await TerminateAsync(resource, cancellationToken);
            return;
        }

        // The portal's own resources carry the session label; an answered generation needs no second answer.
        if (resource.Metadata.Labels?.ContainsKey(SessionLabels.Session) == true
            || resource.Status?.SessionId is not null
            || ResourceConditions.Answered(resource.Status, Admitted, resource.Metadata.Generation))
        {
            return;
        }

        var name = resource.Metadata.Name;
        var live = await db.Sessions.FirstOrDefaultAsync(s => s.Name == name && SessionStateMachine.LiveStates.Contains(s.State), cancellationToken);
        if (live is not null)
        {
            await AnswerAsync(resource, live.Id, true, "Launched", $"Session {live.Id} runs it.", cancellationToken);
            return;
        }

        var user = resource.Spec.User;
        var member = await MemberNames.FindAsync(db, user, cancellationToken);
        if (member is null)
        {
            await AnswerAsync(resource, null, false, "UnknownUser", $"There is no member \"{user}\" in {tenant.DisplayName}.", cancellationToken);
            return;
        }

        long? memory = null;
        int? cpu = null;
        if (resource.Spec.Resources?.Memory is { } memoryText)
        {
            if (!Quantity.TryParseBytes(memoryText, out var bytes) || bytes <= 0)
            {
                await AnswerAsync(resource, null, false, "InvalidResources", $"\"{memoryText}\" is not a memory size such as 2Gi.", cancellationToken);
                return;
            }

            if (bytes > QuantityLimits.MaxMemoryBytes)
            {
                await AnswerAsync(resource, null, false, "InvalidResources", QuantityLimits.TooLarge(memoryText, Quantity.FormatBytes(QuantityLimits.MaxMemoryBytes)), cancellationToken);
                return;
            }

            memory = bytes;
        }

        if (resource.Spec.Resources?.Cpu is { } cpuText)
        {
            if (!Quantity.TryParseMillicores(cpuText, out var millicores) || millicores <= 0)
            {
                await AnswerAsync(resource, null, false, "InvalidResources", $"\"{cpuText}\" is not a CPU amount such as 500m or 2.", cancellationToken);
                return;
            }

            if (millicores > QuantityLimits.MaxMillicores)
            {
                await AnswerAsync(resource, null, false, "InvalidResources", QuantityLimits.TooLarge(cpuText, $"{Quantity.FormatMillicores(QuantityLimits.MaxMillicores)} cores"), cancellationToken);
                return;
            }

            cpu = millicores;
        }

        try
        {
            var session = await sessions.LaunchAsync(member.Id, resource.Spec.Template, name, memory, cpu, cancellationToken);
            logger.LogInformation("Session resource {Namespace}/{Name} imported as session {SessionId}", ns, name, session.Id);
            await AnswerAsync(resource, session.Id, true, "Launched", $"Admitted for {member.UserName}; session {session.Id}.", cancellationToken);
        }
        catch (QuotaExceededException e)
        {
            await AnswerAsync(resource, null, false, "QuotaExceeded", e.Message, cancellationToken);
        }
        catch (DomainException e)
        {
            await AnswerAsync(resource, null, false, "NotAdmitted", e.Message, cancellationToken);
        }
    }

    private async Task TerminateAsync(SessionResource resource, CancellationToken cancellationToken)
    {
        var name = resource.Metadata.Name;
        Guid? id = Guid.TryParse(resource.Status?.SessionId, out var fromStatus) ? fromStatus
            : resource.Metadata.Labels?.TryGetValue(SessionLabels.Session, out var label) == true && Guid.TryParse(label, out var fromLabel) ? fromLabel
            : null;
        var session = await db.Sessions.AsNoTracking()
            .Where(s => id != null ? s.Id == id : s.Name == name)
            .OrderByDescending(s => s.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);

        // Only settled sessions: one being started or stopped deletes and recreates its own resource on the way.
        if (session?.State is SessionState.Running or SessionState.Hibernated or SessionState.Pending)
        {
            await sessions.TerminateAsync(session.MemberId, session.Id, cancellationToken);
            logger.LogInformation("Session resource {Name} deleted: session {SessionId} terminates", name, session.Id);
        }
    }

    private Task AnswerAsync(SessionResource resource, Guid? sessionId, bool admitted, string reason, string message, CancellationToken cancellationToken) =>
        SessionStatusWriter.WriteAsync(client, resource.Metadata.NamespaceProperty, resource.Metadata.Name, new SessionResourceStatus
        {
            Phase = admitted ? nameof(SessionState.Pending) : "Refused",
            SessionId = sessionId?.ToString("D"),
            Message = message,
            Conditions = [ResourceConditions.Of(Admitted, admitted, reason, message, resource.Metadata.Generation, time.GetUtcNow())],
        }, cancellationToken);
}
