using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Infrastructure.Features.Platform;

/// <summary>
/// The session queries of the lifecycle sweeps, which look across every tenant at once (one statement per sweep, not one
/// per tenant). They only find candidates; each action then runs inside its tenant.
/// </summary>
public sealed class AllTenantsSessions(StreamSpaceDb db)
{
    // The sweeps serve all tenants by definition; this is where they lift the tenant filter.
    private static readonly string[] TenantFilter = [StreamSpaceDb.TenantFilter];

    /// <summary>Running sessions past their deadline, or idle past their tier's timeout (members without a tier: <paramref name="untieredIdle"/>).</summary>
    public async Task<List<SessionRef>> DueForHibernationAsync(bool idleEnabled, TimeSpan untieredIdle, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var query =
            from s in db.Sessions.IgnoreQueryFilters(TenantFilter)
            join m in db.Users.IgnoreQueryFilters(TenantFilter) on s.MemberId equals m.Id
            join t in db.Tiers.IgnoreQueryFilters(TenantFilter) on m.TierId equals t.Id into tiers
            from t in tiers.DefaultIfEmpty()
            where s.State == SessionState.Running
            let idleSince = s.LastInputAt > s.StartedAt ? s.LastInputAt : s.StartedAt
            where s.Deadline <= now
                  || (idleEnabled && !s.KeepAwake && idleSince + (t == null || t.IdleTimeout == TimeSpan.Zero ? untieredIdle : t.IdleTimeout) <= now)
            select new SessionRef(s.TenantId, s.Id);
        return await query.ToListAsync(cancellationToken);
    }

    /// <summary>Members who hold live sessions, for quota enforcement.</summary>
    public async Task<List<MemberRef>> MembersWithLiveSessionsAsync(CancellationToken cancellationToken) =>
        await db.Sessions.IgnoreQueryFilters(TenantFilter)
            .Where(s => SessionStateMachine.LiveStates.Contains(s.State))
            .Select(s => new MemberRef(s.TenantId, s.MemberId))
            .Distinct()
            .ToListAsync(cancellationToken);

    /// <summary>Every session the database thinks should have compute, plus any of the given ids, for drift repair.</summary>
    public async Task<List<SessionSnapshot>> ForReconcileAsync(IReadOnlyCollection<Guid> observed, CancellationToken cancellationToken) =>
        await db.Sessions.IgnoreQueryFilters(TenantFilter)
            .Where(s => s.State == SessionState.Running || SessionStateMachine.TransitionalStates.Contains(s.State) || observed.Contains(s.Id))
            .Select(s => new SessionSnapshot(s.TenantId, s.Id, s.State, s.StateChangedAt, s.RecoveryAttempted))
            .ToListAsync(cancellationToken);

    /// <summary>The tenant slug of a session, for the Kubernetes runtime which is asked about sessions by id alone.</summary>
    public Task<string?> TenantSlugOfAsync(Guid sessionId, CancellationToken cancellationToken) =>
        db.Sessions.IgnoreQueryFilters(TenantFilter)
            .Where(s => s.Id == sessionId)
            .Join(db.Tenants, s => s.TenantId, t => t.Id, (s, t) => t.Slug)
            .SingleOrDefaultAsync(cancellationToken);
}
