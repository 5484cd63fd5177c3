namespace StreamSpace.Domain.Sessions;

/// <summary>
/// Where sessions actually run (local sandboxes or Kubernetes). Every call is idempotent and safe to repeat after a crash:
/// the database says what should exist, the runtime converges to it.
/// </summary>
public interface ISessionRuntime
{
    /// <summary>Starts the session (or finds it already running) and returns where to reach it; reports progress in words.</summary>
    Task<SessionEndpoint> EnsureStartedAsync(SessionSpec spec, IProgress<string> progress, CancellationToken cancellationToken);

    /// <summary>Stops all compute of the session, keeps the member's home. Succeeds when nothing is running.</summary>
    Task HibernateAsync(SessionAddress session, CancellationToken cancellationToken);

    /// <summary>Removes everything of the session but the member's home. Succeeds when nothing is left.</summary>
    Task TerminateAsync(SessionAddress session, CancellationToken cancellationToken);

    /// <summary>What is actually running now, for drift repair.</summary>
    Task<IReadOnlyList<ObservedSession>> ObserveAsync(CancellationToken cancellationToken);

    /// <summary>The VNC password the gateway completes VncAuth with; null when the session uses security type None.</summary>
    Task<string?> ReadVncPasswordAsync(SessionAddress session, CancellationToken cancellationToken);
}
