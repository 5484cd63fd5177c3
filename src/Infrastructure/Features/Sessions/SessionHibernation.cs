using Hangfire;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Jobs;

namespace StreamSpace.Infrastructure.Features.Sessions;

/// <summary>
/// The one way a hibernation begins, whoever decides it (the member, a tenant admin, a sweep for idle, deadline or quota,
/// a suspension, shutdown): the state change and its audit event committed together, then the job that stops the compute.
/// </summary>
public sealed class SessionHibernation(StreamSpaceDb db, AuditTrail audit, IBackgroundJobClient jobs, TimeProvider time)
{
    /// <summary>Hibernates the session with <paramref name="reason"/> if it is still running; false when it no longer is.</summary>
    public async Task<bool> HibernateAsync(Guid sessionId, string reason, CancellationToken cancellationToken)
    {
        var session = await db.Sessions.SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        return session is not null && (await HibernateAsync([(session, reason)], cancellationToken)).Count == 1;
    }

    /// <summary>
    /// Hibernates many sessions of the tenant, each with its reason, in one <c>SaveChanges</c> (EF Core batches the UPDATEs
    /// and audit INSERTs), then enqueues their jobs. The sessions must be tracked by this scope's context; those no longer
    /// running are skipped. Returns the ones that now hibernate.
    /// </summary>
    public Task<List<(Session Session, string Reason)>> HibernateAsync(
        IReadOnlyCollection<(Session Session, string Reason)> due, CancellationToken cancellationToken) =>
        HibernateAsync(due, AuditActions.SessionHibernated, cancellationToken);

    /// <summary>As above, audited as <paramref name="auditAction"/> (an admin's hibernation is audited as the admin's).</summary>
    public async Task<List<(Session Session, string Reason)>> HibernateAsync(
        IReadOnlyCollection<(Session Session, string Reason)> due, string auditAction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(due);
        var hibernating = due.Where(d => d.Session.State == SessionState.Running).ToList();
        foreach (var (session, reason) in hibernating)
        {
            session.BeginHibernate(reason, time.GetUtcNow());
            audit.Record(auditAction, $"session/{session.Name}", reason);
        }

        // Also when none is due: whatever else the caller changed in this unit of work (a member being disabled) commits with it.
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (session, _) in hibernating)
        {
            var tenantId = session.TenantId;
            var sessionId = session.Id;
            jobs.Enqueue<ISessionJobs>(j => j.HibernateAsync(tenantId, sessionId, CancellationToken.None));
        }

        return hibernating;
    }
}
