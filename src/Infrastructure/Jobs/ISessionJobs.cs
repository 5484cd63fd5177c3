using Hangfire;

namespace StreamSpace.Infrastructure.Jobs;

/// <summary>
/// The session lifecycle jobs Web enqueues and Workers runs (DESIGN §7). Web has already moved the session to the state the
/// job completes; each job is idempotent and takes the tenant first so it can set the tenant context.
/// </summary>
public interface ISessionJobs
{
    /// <summary><c>sessions.provision</c>: Pending → Starting → Running (or Failed with the reason).</summary>
    [JobDisplayName("sessions.provision {1}")]
    [AutomaticRetry(Attempts = 3)]
    Task ProvisionAsync(Guid tenantId, Guid sessionId, CancellationToken cancellationToken);

    /// <summary><c>sessions.hibernate</c>: Hibernating → Hibernated; compute stops, the home stays.</summary>
    [JobDisplayName("sessions.hibernate {1}")]
    [AutomaticRetry(Attempts = 5)]
    Task HibernateAsync(Guid tenantId, Guid sessionId, CancellationToken cancellationToken);

    /// <summary><c>sessions.resume</c>: Resuming → Running (or Failed).</summary>
    [JobDisplayName("sessions.resume {1}")]
    [AutomaticRetry(Attempts = 3)]
    Task ResumeAsync(Guid tenantId, Guid sessionId, CancellationToken cancellationToken);

    /// <summary><c>sessions.terminate</c>: Terminating → Terminated; everything but the home is removed.</summary>
    [JobDisplayName("sessions.terminate {1}")]
    [AutomaticRetry(Attempts = 5)]
    Task TerminateAsync(Guid tenantId, Guid sessionId, CancellationToken cancellationToken);
}
