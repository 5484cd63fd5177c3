using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Tiers;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Infrastructure.Features.Sessions;

/// <summary>
/// The session queries of the lifecycle sweeps, which look across every tenant at once (one statement per sweep, not one
/// per tenant). They only find candidates; each action then runs inside its tenant.
/// </summary>
public sealed class AllTenantsSessions(StreamSpaceDb db)
{
    // The sweeps serve all tenants by definition; this is where they lift the tenant filter.
    private static readonly string[] TenantFilter = [StreamSpaceDb.TenantFilter];

    /// <summary>
    /// Running sessions past their deadline, or idle past their tier's timeout; members without a tier are in their tenant's
    /// default tier (as <c>Tier.Resolve</c> decides it), and a timeout of 0 means <paramref name="untieredIdle"/>.
    /// </summary>
    public async Task<List<SessionRef>> DueForHibernationAsync(bool idleEnabled, TimeSpan untieredIdle, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var query =
            from s in db.Sessions.IgnoreQueryFilters(TenantFilter)
            join m in db.Users.IgnoreQueryFilters(TenantFilter) on s.MemberId equals m.Id
            join t in db.Tiers.IgnoreQueryFilters(TenantFilter) on m.TierId equals t.Id into tiers
            from t in tiers.DefaultIfEmpty()
            join d in db.Tiers.IgnoreQueryFilters(TenantFilter).Where(d => d.Name == Tier.DefaultName) on s.TenantId equals d.TenantId into defaults
            from d in defaults.DefaultIfEmpty()
            where s.State == SessionState.Running
            let idleSince = s.LastInputAt > s.StartedAt ? s.LastInputAt : s.StartedAt
            let timeout = t != null ? t.IdleTimeout : d != null ? d.IdleTimeout : TimeSpan.Zero
            where s.Deadline <= now
                  || (idleEnabled && !s.KeepAwake && idleSince + (timeout == TimeSpan.Zero ? untieredIdle : timeout) <= now)
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
            .Join(db.Tenants, s => s.TenantId, t => t.Id, (s, t) => new SessionSnapshot(s.TenantId, t.Slug, s.Id, s.State, s.StateChangedAt, s.RecoveryAttempted, s.Runtime))
            .ToListAsync(cancellationToken);

    /// <summary>The given sessions as their Session resources show them (Kubernetes runtime), with their tenant.</summary>
    public async Task<List<SessionResourceState>> ForResourceStatusAsync(IReadOnlyCollection<Guid> sessionIds, CancellationToken cancellationToken) =>
        await db.Sessions.IgnoreQueryFilters(TenantFilter)
            .Where(s => sessionIds.Contains(s.Id))
            .Join(db.Tenants, s => s.TenantId, t => t.Id, (s, t) => new SessionResourceState(
                t.Slug,
                s.Id,
                s.State,
                s.LastInputAt != null && (s.StartedAt == null || s.LastInputAt > s.StartedAt) ? s.LastInputAt : s.StartedAt,
                s.FailureReason))
            .ToListAsync(cancellationToken);
}
