using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Features.Lifecycle;
using StreamSpace.Infrastructure.Jobs;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Infrastructure.Features.Sessions;

namespace StreamSpace.Workers.Jobs;

/// <summary>
/// <c>sessions.reconcile</c>: compares what the runtime runs with what the database says. A Running session whose
/// processes died becomes Failed (Resume is offered); a sandbox nobody wants is stopped; a session stuck in a transitional
/// state gets its job re-run once, then fails — so no session stays "Starting" forever after a crashed worker.
/// </summary>
public sealed class SessionReconcile(
    ISessionRuntime runtime,
    AllTenantsSessions sessions,
    TenantScope tenants,
    IBackgroundJobClient jobs,
    IOptions<ReconcileOptions> options,
    TimeProvider time,
    ILogger<SessionReconcile> logger)
{
    public const string JobId = "sessions.reconcile";

    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<ReconcileReport> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var observed = (await runtime.ObserveAsync(cancellationToken)).ToDictionary(o => o.SessionId);
        var known = (await sessions.ForReconcileAsync(observed.Keys, cancellationToken)).ToDictionary(s => s.SessionId);
        var report = new ReconcileReport();

        foreach (var (id, actual) in observed)
        {
            if (!actual.Running)
            {
                continue;
            }

            // Compute nobody wants: no row, or a row that says it should not run.
            var row = known.GetValueOrDefault(id);
            if (row is null || row.State is SessionState.Terminated or SessionState.Failed)
            {
                await runtime.TerminateAsync(actual.Address, cancellationToken);
                report.OrphansStopped++;
                logger.LogWarning("Stopped sandbox {SessionId}: its session is {State}", id, row?.State.ToString() ?? "gone");
            }
            else if (row.State == SessionState.Hibernated)
            {
                await runtime.HibernateAsync(row.Address, cancellationToken);
                report.OrphansStopped++;
            }
        }

        foreach (var row in known.Values)
        {
            if (row.State == SessionState.Running
                && !(observed.GetValueOrDefault(row.SessionId)?.Running ?? false)
                && now - row.StateChangedAt >= settings.LostAfter)
            {
                var reason = observed.GetValueOrDefault(row.SessionId)?.StoppedReason
                    ?? "The session's processes stopped unexpectedly. Resume it to start it again; your files are kept.";
                await FailAsync(row, reason, cancellationToken);
                report.Lost++;
            }
            else if (SessionStateMachine.IsTransitional(row.State) && now - row.StateChangedAt >= settings.StuckAfter)
            {
                if (row.RecoveryAttemptedAt is not { } retried)
                {
                    await RetryAsync(row, now, cancellationToken);
                    report.Retried++;
                }
                else if (now - retried >= settings.StuckAfter)
                {
                    await FailAsync(row, $"Stuck while {row.State.ToString().ToLowerInvariant()} for over {Domain.Common.Quantity.FormatDuration(settings.StuckAfter)}; gave up.", cancellationToken);
                    report.GaveUp++;
                }
            }
        }

        return report;
    }

    private Task<bool> RetryAsync(SessionSnapshot row, DateTimeOffset now, CancellationToken cancellationToken) =>
        tenants.RunAsync(row.TenantId, async services =>
        {
            var db = services.GetRequiredService<StreamSpaceDb>();
            var session = await db.Sessions.SingleOrDefaultAsync(s => s.Id == row.SessionId && s.State == row.State, cancellationToken);
            if (session is null)
            {
                return;
            }

            session.MarkRecoveryAttempted(now);
            await db.SaveChangesAsync(cancellationToken);
            var (tenantId, sessionId) = (row.TenantId, row.SessionId);
            switch (row.State)
            {
                case SessionState.Pending or SessionState.Starting:
                    jobs.Enqueue<ISessionJobs>(j => j.ProvisionAsync(tenantId, sessionId, CancellationToken.None));
                    break;
                case SessionState.Resuming:
                    jobs.Enqueue<ISessionJobs>(j => j.ResumeAsync(tenantId, sessionId, CancellationToken.None));
                    break;
                case SessionState.Hibernating:
                    jobs.Enqueue<ISessionJobs>(j => j.HibernateAsync(tenantId, sessionId, CancellationToken.None));
                    break;
                case SessionState.Terminating:
                    jobs.Enqueue<ISessionJobs>(j => j.TerminateAsync(tenantId, sessionId, CancellationToken.None));
                    break;
            }

            logger.LogWarning("Session {SessionId} was stuck {State}; its job runs again", row.SessionId, row.State);
        }, cancellationToken);

    private Task<bool> FailAsync(SessionSnapshot row, string reason, CancellationToken cancellationToken) =>
        tenants.RunAsync(row.TenantId, async services =>
        {
            var db = services.GetRequiredService<StreamSpaceDb>();
            var session = await db.Sessions.SingleOrDefaultAsync(s => s.Id == row.SessionId && s.State == row.State, cancellationToken);
            if (session is null)
            {
                return;
            }

            // Whatever is left of it must not keep running once the row says Failed.
            await runtime.TerminateAsync(row.Address, cancellationToken);
            session.Fail(reason, time.GetUtcNow());
            await db.SessionRuns.EndOpenAsync(session.Id, time.GetUtcNow(), cancellationToken);

            services.GetRequiredService<AuditTrail>().Record(AuditActions.SessionFailed, $"session/{session.Name}", reason);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogWarning("Session {SessionId} failed: {Reason}", session.Id, reason);
        }, cancellationToken);
}
