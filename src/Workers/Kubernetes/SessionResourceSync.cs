using System.Net;
using Hangfire;
using k8s;
using k8s.Autorest;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Infrastructure.Features.Sessions;

namespace StreamSpace.Workers.Kubernetes;

/// <summary>
/// <c>sessions.sync-resources</c> (Kubernetes runtime only): brings every Session resource's status (phase, url,
/// lastActivity — the IDLE column —, the failure reason) up to the portal's state. One list of the resources, one query,
/// then one status patch per resource that differs; a resource deleted meanwhile or changed by someone else waits for the next run.
/// </summary>
public sealed class SessionResourceSync(IKubernetes client, AllTenantsSessions sessions, SessionViewerUrls urls, ILogger<SessionResourceSync> logger)
{
    public const string JobId = "sessions.sync-resources";

    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var list = await client.CustomObjects.ListClusterCustomObjectAsync(
            SessionLabels.Group, SessionLabels.Version, SessionResource.Plural, labelSelector: SessionLabels.ManagedSelector, cancellationToken: cancellationToken);
        var resources = KubernetesCalls.Read<CustomResourceList<SessionResource>>(list).Items
            .Select(r => (Resource: r, Id: r.Metadata.Labels?.TryGetValue(SessionLabels.Session, out var label) == true && Guid.TryParse(label, out var id) ? id : (Guid?)null))
            .Where(r => r.Id is not null)
            .ToList();
        var states = (await sessions.ForResourceStatusAsync([.. resources.Select(r => r.Id!.Value)], cancellationToken)).ToDictionary(s => s.SessionId);

        var written = 0;
        foreach (var (resource, id) in resources)
        {
            if (!states.TryGetValue(id!.Value, out var state) || Changes(resource.Status, Desired(state)) is not { } status)
            {
                continue;
            }

            var ns = resource.Metadata.NamespaceProperty;
            try
            {
                var patched = await KubernetesCalls.IfFoundAsync(() =>
                    SessionStatusWriter.WriteAsync(client, ns, resource.Metadata.Name, status, cancellationToken));
                written += patched ? 1 : 0;
            }
            catch (HttpOperationException e) when (KubernetesCalls.IsConflict(e) || e.Response.StatusCode >= HttpStatusCode.InternalServerError)
            {
                // Still contended after the writer's retries, or the API server is struggling: the next run writes it.
                logger.LogWarning("Status of session resource {Namespace}/{Name} not written ({Status})", ns, resource.Metadata.Name, e.Response.StatusCode);
            }
        }

        return written;
    }

    private SessionResourceStatus Desired(SessionResourceState state) => SessionStatusWriter.Status(
        state.State.ToString(),
        state.SessionId,
        urls.For(state.TenantSlug, state.SessionId),
        state.State == SessionState.Failed ? state.FailureReason : null,
        state.LastActivity);

    /// <summary>The fields of <paramref name="desired"/> the resource does not show yet (a merge patch keeps the rest); null when none.</summary>
    private static SessionResourceStatus? Changes(SessionResourceStatus? current, SessionResourceStatus desired)
    {
        var change = new SessionResourceStatus
        {
            Phase = desired.Phase != current?.Phase ? desired.Phase : null,
            SessionId = desired.SessionId != current?.SessionId ? desired.SessionId : null,
            Url = desired.Url != current?.Url ? desired.Url : null,
            LastActivity = desired.LastActivity is { } at && at != current?.LastActivity ? at : null,
            Message = desired.Message is { } message && message != current?.Message ? message : null,
        };
        return change is { Phase: null, SessionId: null, Url: null, LastActivity: null, Message: null } ? null : change;
    }
}
