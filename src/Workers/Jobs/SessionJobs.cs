using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Usage;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Features.Lifecycle;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Jobs;
using StreamSpace.Infrastructure.Observability;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Workers.Jobs;

/// <summary>
/// The session lifecycle jobs: drive the runtime, then move the state machine. Safe to run twice: each looks at the state the
/// session is in and does only what is left, and a runtime failure ends in Failed with the reason and nothing running.
/// </summary>
public sealed class SessionJobs(
    StreamSpaceDb db,
    TenantContext tenantContext,
    ISessionRuntime runtime,
    SessionSpecs specs,
    AuditTrail audit,
    TimeProvider time,
    StreamSpaceMetrics metrics,
    ILogger<SessionJobs> logger) : ISessionJobs
{
    public async Task ProvisionAsync(Guid tenantId, Guid sessionId, CancellationToken cancellationToken)
    {
        using var logScope = LogScope(tenantId, sessionId);
        var session = await LoadAsync(tenantId, sessionId, cancellationToken);
        if (session is null || session.State is not (SessionState.Pending or SessionState.Starting))
        {
            return;
        }

        if (session.State == SessionState.Pending)
        {
            session.Start("Starting display…", time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }

        await StartAsync(session, cancellationToken);
    }

    public async Task ResumeAsync(Guid tenantId, Guid sessionId, CancellationToken cancellationToken)
    {
        using var logScope = LogScope(tenantId, sessionId);
        var session = await LoadAsync(tenantId, sessionId, cancellationToken);
        if (session?.State == SessionState.Resuming)
        {
            await StartAsync(session, cancellationToken);
        }
    }

    public async Task HibernateAsync(Guid tenantId, Guid sessionId, CancellationToken cancellationToken)
    {
        using var logScope = LogScope(tenantId, sessionId);
        var session = await LoadAsync(tenantId, sessionId, cancellationToken);
        if (session?.State != SessionState.Hibernating)
        {
            return;
        }

        await runtime.HibernateAsync(AddressOf(session), cancellationToken);
        metrics.SessionRunEnded(session, tenantContext.Tenant!.Slug, time.GetUtcNow());
        session.MarkHibernated(time.GetUtcNow());
        await db.SessionRuns.EndOpenAsync(session.Id, time.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        metrics.SessionHibernated(tenantContext.Tenant!.Slug, session.HibernateReason);
        logger.LogInformation("Session {SessionId} hibernated ({Reason})", session.Id, session.HibernateReason);
    }

    public async Task TerminateAsync(Guid tenantId, Guid sessionId, CancellationToken cancellationToken)
    {
        using var logScope = LogScope(tenantId, sessionId);
        var session = await LoadAsync(tenantId, sessionId, cancellationToken);
        if (session?.State != SessionState.Terminating)
        {
            return;
        }

        await runtime.TerminateAsync(AddressOf(session), cancellationToken);
        metrics.SessionRunEnded(session, tenantContext.Tenant!.Slug, time.GetUtcNow());
        session.MarkTerminated(time.GetUtcNow());
        await db.SessionRuns.EndOpenAsync(session.Id, time.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Session {SessionId} terminated", session.Id);
    }

    private async Task StartAsync(Session session, CancellationToken cancellationToken)
    {
        var spec = await specs.ForAsync(session, cancellationToken);
        SessionEndpoint endpoint;
        try
        {
            endpoint = await runtime.EnsureStartedAsync(spec, new SessionProgress(session, db, logger), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Session {SessionId} failed to start", session.Id);
            metrics.ProvisioningFailed(e);

            // A failed start must leave nothing running; the runtime's terminate is idempotent.
            await runtime.TerminateAsync(spec.Address, CancellationToken.None);
            await db.Entry(session).ReloadAsync(cancellationToken);
            if (SessionStateMachine.TryNext(session.State, SessionTransition.Fail, out _))
            {
                session.Fail(e.Message, time.GetUtcNow());
                audit.Record(AuditActions.SessionFailed, $"session/{session.Name}", e.Message);
                await db.SaveChangesAsync(cancellationToken);
            }

            return;
        }

        // Someone may have asked to terminate while we were starting; then this start is not wanted any more.
        await db.Entry(session).ReloadAsync(cancellationToken);
        if (session.State is SessionState.Starting or SessionState.Resuming)
        {
            var now = time.GetUtcNow();
            metrics.SessionRunning(session, spec.TenantSlug, spec.TemplateName, now);
            session.MarkRunning(endpoint.Address, now, spec.RunningPeriod);
            db.SessionRuns.Add(SessionRun.Begin(session.Id, session.MemberId, session.TemplateId, now));
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Session {SessionId} running at {Endpoint}", session.Id, endpoint.Address);
        }
    }

    private async Task<Session?> LoadAsync(Guid tenantId, Guid sessionId, CancellationToken cancellationToken)
    {
        if (await TenantScope.EnterAsync(db, tenantContext, tenantId, cancellationToken) is null)
        {
            return null;
        }

        return await db.Sessions.SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
    }

    private SessionAddress AddressOf(Session session) => new(tenantContext.Tenant!.Slug, session.Id, session.Runtime);

    // Opened by each job for its whole run, so every line it and the runtime log carries the tenant and the session.
    private IDisposable? LogScope(Guid tenantId, Guid sessionId) =>
        logger.BeginScope(new Dictionary<string, object> { ["TenantId"] = tenantId, ["SessionId"] = sessionId });
}
