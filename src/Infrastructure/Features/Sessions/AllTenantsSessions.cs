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
    /// Running sessions past their deadline, or idle past their tier's timeout. Each member's tier is <see cref="Tier.Resolve"/>'s
    /// answer (their own, else the tenant's default), the same rule a launch uses; a timeout of 0 means <paramref name="untieredIdle"/>.
    /// Two statements per sweep: the running sessions with their members' tier ids, and the tiers of their tenants.
    /// </summary>
    public async Task<List<SessionRef>> DueForHibernationAsync(bool idleEnabled, TimeSpan untieredIdle, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var running = await (
            from s in db.Sessions.IgnoreQueryFilters(TenantFilter)
            join m in db.Users.IgnoreQueryFilters(TenantFilter) on s.MemberId equals m.Id
            where s.State == SessionState.Running
            select new { s.TenantId, s.Id, m.TierId, s.LastInputAt, s.StartedAt, s.Deadline, s.KeepAwake })
            .ToListAsync(cancellationToken);
        var tenantIds = running.Select(r => r.TenantId).Distinct().ToList();
        var tiers = (await db.Tiers.IgnoreQueryFilters(TenantFilter).AsNoTracking().Where(t => tenantIds.Contains(t.TenantId)).ToListAsync(cancellationToken))
            .ToLookup(t => t.TenantId);

        return running
            .Where(r =>
            {
                if (r.Deadline <= now)
                {
                    return true;
                }

                var timeout = Tier.Resolve(r.TierId, [.. tiers[r.TenantId]]).IdleTimeout;
                var idleSince = r.LastInputAt > r.StartedAt ? r.LastInputAt : r.StartedAt;
                return idleEnabled && !r.KeepAwake && idleSince + (timeout == TimeSpan.Zero ? untieredIdle : timeout) <= now;
            })
            .Select(r => new SessionRef(r.TenantId, r.Id))
            .ToList();
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
            .Join(db.Tenants, s => s.TenantId, t => t.Id, (s, t) => new SessionSnapshot(s.TenantId, t.Slug, s.Id, s.State, s.StateChangedAt, s.RecoveryAttemptedAt, s.Runtime))
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
