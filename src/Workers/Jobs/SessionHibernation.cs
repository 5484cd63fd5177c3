using Hangfire;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Jobs;

namespace StreamSpace.Workers.Jobs;

/// <summary>Hibernation decided by a sweep (idle, deadline, quota): the state change and its audit event, then the job.</summary>
public sealed class SessionHibernation(StreamSpaceDb db, AuditTrail audit, IBackgroundJobClient jobs, TimeProvider time)
{
    /// <summary>Hibernates the session with <paramref name="reason"/> if it is still running; false when it no longer is.</summary>
    public async Task<bool> HibernateAsync(Guid sessionId, string reason, CancellationToken cancellationToken)
    {
        var session = await db.Sessions.SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        if (session?.State != SessionState.Running)
        {
            return false;
        }

        session.BeginHibernate(reason, time.GetUtcNow());
        audit.Record(AuditActions.SessionHibernated, $"session/{session.Name}", reason);
        await db.SaveChangesAsync(cancellationToken);
        var tenantId = session.TenantId;
        jobs.Enqueue<ISessionJobs>(j => j.HibernateAsync(tenantId, sessionId, CancellationToken.None));
        return true;
    }

    /// <summary>
    /// Hibernates many sessions of the tenant, each with its reason, in one <c>SaveChanges</c> (EF Core batches the UPDATEs
    /// and audit INSERTs), then enqueues their jobs. The sessions must be tracked by this scope's context; those no longer
    /// running are skipped. Returns the ones that now hibernate.
    /// </summary>
    public async Task<List<(Session Session, string Reason)>> HibernateAsync(
        IReadOnlyCollection<(Session Session, string Reason)> due, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(due);
        var hibernating = due.Where(d => d.Session.State == SessionState.Running).ToList();
        if (hibernating.Count == 0)
        {
            return hibernating;
        }

        foreach (var (session, reason) in hibernating)
        {
            session.BeginHibernate(reason, time.GetUtcNow());
            audit.Record(AuditActions.SessionHibernated, $"session/{session.Name}", reason);
        }

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
