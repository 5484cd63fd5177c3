using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Jobs;
using StreamSpace.Infrastructure.Runtimes;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Infrastructure.Features.Sessions;

/// <summary>
/// What a member asks of their sessions. Each request moves the session to the state its job completes, commits, then
/// enqueues the job (DESIGN §1: Web never drives a runtime itself).
/// </summary>
public sealed class MemberSessions(
    StreamSpaceDb db,
    QuotaAdmission admission,
    IBackgroundJobClient jobs,
    AuditTrail audit,
    TenantContext tenantContext,
    SessionPlacement placement,
    SessionHibernation hibernation,
    TimeProvider time)
{
    public Task<Session> LaunchAsync(Guid memberId, string templateName, CancellationToken cancellationToken) =>
        LaunchAsync(memberId, templateName, null, null, null, cancellationToken);

    /// <summary>A launch with a chosen name and resources (a Session resource applied with kubectl); null takes the template's.</summary>
    public async Task<Session> LaunchAsync(
        Guid memberId, string templateName, string? sessionName, long? memoryBytes, int? cpuMillicores, CancellationToken cancellationToken)
    {
        var template = await db.Templates.SingleOrDefaultAsync(t => t.Name == templateName, cancellationToken)
            ?? throw new DomainException($"There is no application \"{templateName}\" in the catalog.");
        if (await db.DisabledTemplates.AnyAsync(d => d.TemplateId == template.Id, cancellationToken))
        {
            throw new DomainException($"{template.DisplayName} is switched off for your organisation; ask a tenant admin to enable it.");
        }

        var placed = placement.For(template.RunsLocally);
        var runtime = placed.Runtime ?? throw new DomainException($"{template.DisplayName} cannot launch here. {placed.Refusal}");

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var memory = memoryBytes ?? template.DefaultMemoryBytes;
        var cpu = cpuMillicores ?? template.DefaultCpuMillicores;
        if (await admission.CheckAsync(memberId, memory, cpu, cancellationToken) is { } refusal)
        {
            throw new QuotaExceededException(refusal);
        }

        var session = Session.Create(
            memberId, template.Id, sessionName ?? $"{template.Name}-{Guid.NewGuid().ToString("N")[..6]}", memory, cpu, time.GetUtcNow(), runtime);
        db.Sessions.Add(session);
        audit.Record(AuditActions.SessionLaunched, $"session/{session.Name}", template.Name);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        jobs.Enqueue<ISessionJobs>(j => j.ProvisionAsync(TenantId, session.Id, CancellationToken.None));
        return session;
    }

    public Task HibernateAsync(Guid memberId, Guid sessionId, CancellationToken cancellationToken) =>
        db.RetryOnConflictAsync(
            async again => await HibernateOneAsync(await OwnAsync(memberId, sessionId, cancellationToken), again, "user", AuditActions.SessionHibernated, cancellationToken),
            "The session");

    /// <summary>A tenant admin hibernates any session of the tenant; the reason reads <c>admin</c>.</summary>
    public Task AdminHibernateAsync(Guid sessionId, CancellationToken cancellationToken) =>
        db.RetryOnConflictAsync(
            async again => await HibernateOneAsync(await OfTenantAsync(sessionId, cancellationToken), again, "admin", AuditActions.AdminHibernated, cancellationToken),
            "The session");

    /// <summary>
    /// Hibernates every running session of the member with <paramref name="reason"/>, committing whatever else the caller
    /// changed in the same unit of work (a member being disabled). Returns how many hibernate.
    /// </summary>
    public async Task<int> HibernateRunningAsync(Guid memberId, string reason, CancellationToken cancellationToken)
    {
        var running = await db.Sessions.Where(s => s.MemberId == memberId && s.State == SessionState.Running).ToListAsync(cancellationToken);
        await HibernateAsync(running, reason, AuditActions.SessionHibernated, cancellationToken);
        return running.Count;
    }

    public Task ResumeAsync(Guid memberId, Guid sessionId, CancellationToken cancellationToken) =>
        db.RetryOnConflictAsync(
            async _ =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var session = await OwnAsync(memberId, sessionId, cancellationToken);
                if (session.State is SessionState.Resuming or SessionState.Running)
                {
                    // Woken already (a second click, another tab, a page that still showed Hibernated): what was asked for holds.
                    return;
                }

                if (!SessionStateMachine.TryNext(session.State, SessionTransition.BeginResume, out var _))
                {
                    throw new SessionStateException(session.State, SessionTransition.BeginResume);
                }

                if (await admission.CheckAsync(memberId, session.MemoryBytes, session.CpuMillicores, cancellationToken) is { } refusal)
                {
                    throw new QuotaExceededException(refusal);
                }

                session.BeginResume("Waking up…", time.GetUtcNow());
                audit.Record(AuditActions.SessionResumed, $"session/{session.Name}");
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                jobs.Enqueue<ISessionJobs>(j => j.ResumeAsync(TenantId, session.Id, CancellationToken.None));
            },
            "The session");

    public Task TerminateAsync(Guid memberId, Guid sessionId, CancellationToken cancellationToken) =>
        db.RetryOnConflictAsync(
            async again => await TerminateAsync(await OwnAsync(memberId, sessionId, cancellationToken), again, AuditActions.SessionTerminated, cancellationToken),
            "The session");

    /// <summary>A tenant admin terminates any session of the tenant; the member's home is kept as always.</summary>
    public Task AdminTerminateAsync(Guid sessionId, CancellationToken cancellationToken) =>
        db.RetryOnConflictAsync(
            async again => await TerminateAsync(await OfTenantAsync(sessionId, cancellationToken), again, AuditActions.AdminTerminated, cancellationToken),
            "The session");

    /// <summary>Keep awake: not idle-hibernated (the max duration still applies). Visible and audited.</summary>
    public Task SetKeepAwakeAsync(Guid memberId, Guid sessionId, bool keepAwake, CancellationToken cancellationToken) =>
        db.RetryOnConflictAsync(
            async _ =>
            {
                var session = await OwnAsync(memberId, sessionId, cancellationToken);
                if (session.KeepAwake == keepAwake)
                {
                    // A repeated click changes nothing, so it is not a second event.
                    return;
                }

                session.SetKeepAwake(keepAwake);
                audit.Record(AuditActions.SessionKeepAwake, $"session/{session.Name}", keepAwake ? "on" : "off");
                await db.SaveChangesAsync(cancellationToken);
            },
            "The session");

    /// <summary>The countdown banner's "Keep working": counts as input, now.</summary>
    public Task KeepWorkingAsync(Guid memberId, Guid sessionId, CancellationToken cancellationToken) =>
        db.RetryOnConflictAsync(
            async _ =>
            {
                var session = await OwnAsync(memberId, sessionId, cancellationToken);
                session.RecordInput(time.GetUtcNow());
                await db.SaveChangesAsync(cancellationToken);
            },
            "The session");

    private async Task HibernateAsync(IReadOnlyCollection<Session> sessions, string reason, string action, CancellationToken cancellationToken)
    {
        // Asked for by a person: a session that is not running says why it cannot hibernate instead of being skipped.
        if (sessions.FirstOrDefault(s => !SessionStateMachine.TryNext(s.State, SessionTransition.BeginHibernate, out _)) is { } stopped)
        {
            throw new SessionStateException(stopped.State, SessionTransition.BeginHibernate);
        }

        await hibernation.HibernateAsync([.. sessions.Select(s => (s, reason))], action, cancellationToken);
    }

    private async Task HibernateOneAsync(Session session, bool again, string reason, string action, CancellationToken cancellationToken)
    {
        if (again && session.State is SessionState.Hibernating or SessionState.Hibernated)
        {
            // Hibernated by whoever overtook this request (the idle sweep, a second click): what was asked for holds.
            return;
        }

        await HibernateAsync([session], reason, action, cancellationToken);
    }

    private async Task TerminateAsync(Session session, bool again, string action, CancellationToken cancellationToken)
    {
        if (again && session.State is SessionState.Terminating or SessionState.Terminated)
        {
            return;
        }

        session.BeginTerminate(time.GetUtcNow());
        audit.Record(action, $"session/{session.Name}");
        await db.SaveChangesAsync(cancellationToken);
        jobs.Enqueue<ISessionJobs>(j => j.TerminateAsync(TenantId, session.Id, CancellationToken.None));
    }

    private Guid TenantId => tenantContext.TenantId ?? throw new InvalidOperationException("Sessions are managed inside a tenant.");

    /// <summary>The member's own session; anyone else's (or another tenant's) is reported as missing.</summary>
    private async Task<Session> OwnAsync(Guid memberId, Guid sessionId, CancellationToken cancellationToken) =>
        await db.Sessions.SingleOrDefaultAsync(s => s.Id == sessionId && s.MemberId == memberId, cancellationToken)
            ?? throw new SessionNotFoundException(sessionId);

    /// <summary>Any session of the tenant (the query filter hides other tenants'), for its admins.</summary>
    private async Task<Session> OfTenantAsync(Guid sessionId, CancellationToken cancellationToken) =>
        await db.Sessions.SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken)
            ?? throw new SessionNotFoundException(sessionId);
}
