using System.Text;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Runtimes.Local;

namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

/// <summary>
/// Runs each session as a Deployment (one replica) and a ClusterIP Service in its tenant's namespace, owned by the session's
/// Session resource, with the member's home on a claim that outlives every session. Hibernate scales to zero and keeps
/// everything; terminate deletes everything but the home.
/// </summary>
public sealed class KubernetesSessionRuntime(
    IKubernetes client,
    IOptions<KubernetesRuntimeOptions> options,
    SessionViewerUrls urls,
    TimeProvider time,
    ILogger<KubernetesSessionRuntime> logger) : ISessionRuntime
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(2);
    private readonly KubernetesRuntimeOptions _options = options.Value;

    public async Task<SessionEndpoint> EnsureStartedAsync(SessionSpec spec, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(progress);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["TenantId"] = spec.TenantId, ["SessionId"] = spec.SessionId });
        var ns = SessionLabels.Namespace(spec.TenantSlug);

        var home = SessionManifests.HomeClaim(spec, _options);
        await KubernetesCalls.RetryOnConflictAsync(
            () => client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(
                KubernetesCalls.Apply(home), home.Metadata.Name, ns, fieldManager: SessionLabels.FieldManager, force: true, cancellationToken: cancellationToken),
            cancellationToken);

        var resource = await ApplyResourceAsync(spec, cancellationToken);
        try
        {
            return await StartAsync(spec, ns, resource, progress, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The session fails with this reason; its resource keeps saying so (kubectl get sessions) until someone deletes it.
            await KubernetesCalls.IfFoundAsync(() =>
                SetStatusAsync(ns, resource.Metadata.Name, spec.SessionId, nameof(SessionState.Failed), e.Message, null, CancellationToken.None));
            throw;
        }
    }

    private async Task<SessionEndpoint> StartAsync(SessionSpec spec, string ns, SessionResource resource, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var owner = SessionManifests.OwnerReference(resource.Metadata.Name, resource.Metadata.Uid);
        var name = SessionLabels.Workload(spec.SessionId);
        var existing = await KubernetesCalls.OrNullAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: cancellationToken));
        var resuming = existing is not null && (existing.Spec?.Replicas ?? 0) < 1;
        await SetStatusAsync(
            ns, resource.Metadata.Name, spec.SessionId, resuming ? nameof(SessionState.Resuming) : nameof(SessionState.Starting), null, null, cancellationToken);

        if (spec.Protocol == StreamProtocol.Rfb && spec.UseVncAuth)
        {
            var password = await ReadVncPasswordAsync(spec.Address, cancellationToken) ?? VncPassword.Generate();
            var secret = SessionManifests.VncSecret(spec, password, owner);
            await KubernetesCalls.RetryOnConflictAsync(
                () => client.CoreV1.PatchNamespacedSecretAsync(
                    KubernetesCalls.Apply(secret), secret.Metadata.Name, ns, fieldManager: SessionLabels.FieldManager, force: true, cancellationToken: cancellationToken),
                cancellationToken);
        }

        if (existing is null)
        {
            var deployment = SessionManifests.Deployment(spec, _options, owner, replicas: 1);
            await KubernetesCalls.RetryOnConflictAsync(
                () => client.AppsV1.PatchNamespacedDeploymentAsync(
                    KubernetesCalls.Apply(deployment), name, ns, fieldManager: SessionLabels.FieldManager, force: true, cancellationToken: cancellationToken),
                cancellationToken);
        }
        else if (resuming)
        {
            // Resume: the hibernated Deployment keeps its spec; only its replica count comes back.
            await ScaleAsync(name, ns, 1, cancellationToken);
        }

        var service = SessionManifests.Service(spec, owner);
        await KubernetesCalls.RetryOnConflictAsync(
            () => client.CoreV1.PatchNamespacedServiceAsync(
                KubernetesCalls.Apply(service), name, ns, fieldManager: SessionLabels.FieldManager, force: true, cancellationToken: cancellationToken),
            cancellationToken);

        await WaitForReadyPodAsync(spec, ns, progress, cancellationToken);
        var endpoint = SessionManifests.Endpoint(spec, _options);
        await SetStatusAsync(ns, resource.Metadata.Name, spec.SessionId, nameof(SessionState.Running), null, time.GetUtcNow(), cancellationToken);
        logger.LogInformation("Session {SessionId} ready in {Namespace} at {Endpoint}", spec.SessionId, ns, endpoint.Address);
        return endpoint;
    }

    public async Task HibernateAsync(SessionAddress session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var (ns, sessionId) = (SessionLabels.Namespace(session.TenantSlug), session.SessionId);
        var name = SessionLabels.Workload(sessionId);
        var scaled = await KubernetesCalls.OrNullAsync(() => ScaleAsync(name, ns, 0, cancellationToken));
        if (scaled is not null)
        {
            await WaitForNoPodsAsync(sessionId, ns, cancellationToken);
        }

        if (await FindResourceAsync(ns, sessionId, cancellationToken) is { } resource)
        {
            await SetStatusAsync(ns, resource.Metadata.Name, sessionId, nameof(SessionState.Hibernated), null, null, cancellationToken);
        }
    }

    public async Task TerminateAsync(SessionAddress session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var (ns, sessionId) = (SessionLabels.Namespace(session.TenantSlug), session.SessionId);
        var name = SessionLabels.Workload(sessionId);
        var background = new V1DeleteOptions { PropagationPolicy = "Background" };

        // A failed start keeps its resource, saying why; any other ends with the resource gone, Terminating until then.
        var resource = await FindResourceAsync(ns, sessionId, cancellationToken);
        var keep = resource?.Status?.Phase == nameof(SessionState.Failed);
        if (resource is not null && !keep)
        {
            await KubernetesCalls.IfFoundAsync(() =>
                SetStatusAsync(ns, resource.Metadata.Name, sessionId, nameof(SessionState.Terminating), null, null, cancellationToken));
        }

        await KubernetesCalls.OrNullAsync(() => client.AppsV1.DeleteNamespacedDeploymentAsync(name, ns, background, cancellationToken: cancellationToken));
        await KubernetesCalls.OrNullAsync(() => client.CoreV1.DeleteNamespacedServiceAsync(name, ns, background, cancellationToken: cancellationToken));
        await KubernetesCalls.OrNullAsync(() => client.CoreV1.DeleteNamespacedSecretAsync(SessionLabels.VncSecret(sessionId), ns, background, cancellationToken: cancellationToken));
        if (resource is not null && !keep)
        {
            await KubernetesCalls.OrNullAsync(() => client.CustomObjects.DeleteNamespacedCustomObjectAsync(
                SessionLabels.Group, SessionLabels.Version, ns, SessionResource.Plural, resource.Metadata.Name, background, cancellationToken: cancellationToken));
        }

        await WaitForNoPodsAsync(sessionId, ns, cancellationToken);
    }

    public async Task<IReadOnlyList<ObservedSession>> ObserveAsync(CancellationToken cancellationToken)
    {
        // Workers may read Deployments only in the tenant namespaces they bound themselves in: one list per namespace.
        var namespaces = await client.CoreV1.ListNamespaceAsync(labelSelector: SessionLabels.ManagedSelector, cancellationToken: cancellationToken);
        var deployments = new List<V1Deployment>();
        foreach (var ns in namespaces.Items.Where(n => n.Metadata.Labels?.ContainsKey(SessionLabels.Tenant) == true))
        {
            try
            {
                deployments.AddRange((await client.AppsV1.ListNamespacedDeploymentAsync(
                    ns.Metadata.Name, labelSelector: SessionLabels.ManagedSelector, cancellationToken: cancellationToken)).Items);
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Forbidden)
            {
                logger.LogWarning("Sessions in namespace {Namespace} not observed: Workers hold no rights there (converge the tenant's namespace)", ns.Metadata.Name);
            }
        }

        var observed = new List<ObservedSession>();
        foreach (var deployment in deployments)
        {
            if (deployment.Metadata.Labels?.TryGetValue(SessionLabels.Session, out var label) != true
                || !Guid.TryParse(label, out var sessionId)
                || SessionLabels.TenantSlug(deployment.Metadata.NamespaceProperty) is not { } slug)
            {
                continue;
            }

            var running = (deployment.Spec?.Replicas ?? 0) > 0;
            observed.Add(new ObservedSession(new SessionAddress(slug, sessionId, SessionRuntimeKind.Kubernetes), running, running ? Endpoint(deployment) : null));
        }

        return observed;
    }

    public async Task<string?> ReadVncPasswordAsync(SessionAddress session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var secret = await KubernetesCalls.OrNullAsync(() => client.CoreV1.ReadNamespacedSecretAsync(
            SessionLabels.VncSecret(session.SessionId), SessionLabels.Namespace(session.TenantSlug), cancellationToken: cancellationToken));
        return secret?.Data?.TryGetValue(SessionManifests.VncPasswordKey, out var bytes) == true ? Encoding.UTF8.GetString(bytes) : null;
    }

    private async Task<SessionResource> ApplyResourceAsync(SessionSpec spec, CancellationToken cancellationToken)
    {
        var desired = SessionManifests.Resource(spec);
        var applied = await KubernetesCalls.RetryOnConflictAsync(
            () => client.CustomObjects.PatchNamespacedCustomObjectAsync(
                KubernetesCalls.Apply(desired), SessionLabels.Group, SessionLabels.Version, desired.Metadata.NamespaceProperty,
                SessionResource.Plural, desired.Metadata.Name, fieldManager: SessionLabels.FieldManager, force: true, cancellationToken: cancellationToken),
            cancellationToken);
        return KubernetesCalls.Read<SessionResource>(applied);
    }

    private async Task<SessionResource?> FindResourceAsync(string ns, Guid sessionId, CancellationToken cancellationToken)
    {
        var list = await client.CustomObjects.ListNamespacedCustomObjectAsync(
            SessionLabels.Group, SessionLabels.Version, ns, SessionResource.Plural,
            labelSelector: SessionLabels.SessionSelector(sessionId), cancellationToken: cancellationToken);
        var items = KubernetesCalls.Read<CustomResourceList<SessionResource>>(list).Items;
        return items.FirstOrDefault();
    }

    private Task SetStatusAsync(string ns, string name, Guid sessionId, string phase, string? message, DateTimeOffset? lastActivity, CancellationToken cancellationToken) =>
        SessionStatusWriter.WriteAsync(
            client,
            ns,
            name,
            SessionStatusWriter.Status(phase, sessionId, SessionLabels.TenantSlug(ns) is { } slug ? urls.For(slug, sessionId) : null, message, lastActivity),
            cancellationToken);

    private Task<V1Scale> ScaleAsync(string name, string ns, int replicas, CancellationToken cancellationToken) =>
        KubernetesCalls.RetryOnConflictAsync(
            () => client.AppsV1.PatchNamespacedDeploymentScaleAsync(
                KubernetesCalls.Replicas(replicas), name, ns, fieldManager: SessionLabels.FieldManager, cancellationToken: cancellationToken),
            cancellationToken);

    private async Task WaitForReadyPodAsync(SessionSpec spec, string ns, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + _options.StartTimeout;
        string? reported = null;
        while (true)
        {
            var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: SessionLabels.SessionSelector(spec.SessionId), cancellationToken: cancellationToken);
            var state = PodProgress.Of(pods.Items, spec.Image, spec.TemplateDisplayName);
            if (state.Failure is { } failure)
            {
                throw new SessionStartException(failure);
            }

            if (state.Words != reported)
            {
                progress.Report(state.Words);
                reported = state.Words;
            }

            if (state.Ready)
            {
                return;
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new SessionStartException(
                    $"{spec.TemplateDisplayName} did not become ready within {Domain.Common.Quantity.FormatDuration(_options.StartTimeout)} (last: {state.Words}).");
            }

            await Task.Delay(_options.PollInterval, time, cancellationToken);
        }
    }

    private async Task WaitForNoPodsAsync(Guid sessionId, string ns, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + StopTimeout;
        while ((await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: SessionLabels.SessionSelector(sessionId), cancellationToken: cancellationToken)).Items.Count > 0)
        {
            if (time.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"The pods of session {sessionId} did not stop within {StopTimeout.TotalSeconds:0} s.");
            }

            await Task.Delay(_options.PollInterval, time, cancellationToken);
        }
    }

    private SessionEndpoint? Endpoint(V1Deployment deployment)
    {
        var port = deployment.Spec?.Template?.Spec?.Containers?.FirstOrDefault()?.Ports?.FirstOrDefault();
        if (port is null)
        {
            return null;
        }

        var host = $"{deployment.Metadata.Name}.{deployment.Metadata.NamespaceProperty}.svc.{_options.ClusterDomain}";
        return port.Name == "vnc"
            ? new SessionEndpoint(StreamProtocol.Rfb, $"tcp:{host}:{port.ContainerPort}")
            : new SessionEndpoint(StreamProtocol.Http, $"http://{host}:{port.ContainerPort}");
    }
}
