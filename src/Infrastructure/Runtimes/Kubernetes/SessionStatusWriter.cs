using k8s;

namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

/// <summary>Writes a Session resource's status through its status subresource (a merge patch: fields not given are kept).</summary>
public static class SessionStatusWriter
{
    public static Task WriteAsync(IKubernetes client, string ns, string name, SessionResourceStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return KubernetesCalls.RetryOnConflictAsync(
            () => client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
                KubernetesCalls.Merge(new { status }), SessionLabels.Group, SessionLabels.Version, ns, SessionResource.Plural, name,
                fieldManager: SessionLabels.FieldManager, cancellationToken: cancellationToken),
            cancellationToken);
    }

    /// <summary>
    /// The status a Session resource shows, as the runtime writes it on each change and the resource sync compares it.
    /// <paramref name="lastActivity"/> is kept to whole seconds (as Kubernetes writes its own times), so a status read back
    /// compares equal.
    /// </summary>
    public static SessionResourceStatus Status(string phase, Guid sessionId, string? url, string? message, DateTimeOffset? lastActivity) => new()
    {
        Phase = phase,
        SessionId = sessionId.ToString("D"),
        Url = url,
        Message = message,
        LastActivity = lastActivity is { } at ? Truncate(at) : null,
    };

    /// <summary>Times on resources are whole seconds, as Kubernetes writes its own.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}
