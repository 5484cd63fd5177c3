using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Lifecycle;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Workers.Jobs;

/// <summary>
/// <c>sessions.reap-idle</c>: hibernates running sessions with no keyboard or pointer input for their idle timeout (an open
/// tab with no input is idle) unless kept awake, and every session that reached its max duration.
/// </summary>
public sealed class IdleSweep(
    AllTenantsSessions sessions,
    TenantScope tenants,
    IOptions<HibernationOptions> options,
    TimeProvider time,
    ILogger<IdleSweep> logger)
{
    public const string JobId = "sessions.reap-idle";

    // Bounds one transaction and one change tracker when a tenant has many idle sessions at once (after an outage, a holiday).
    private const int SliceSize = 500;

    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();

        // Tiers whose idle timeout is 0 use the installation's default; the outlook below decides each candidate.
        var candidates = await sessions.DueForHibernationAsync(settings.Enabled, settings.DefaultIdleTimeoutSpan, now, cancellationToken);
        var hibernated = 0;

        // Per tenant (in slices): the tenant, its members' tiers and the sessions are read once, and the slice is saved together.
        foreach (var slice in candidates.GroupBy(c => c.TenantId).SelectMany(tenant => tenant.Chunk(SliceSize)))
        {
            var ids = slice.Select(c => c.SessionId).ToList();
            await tenants.RunAsync(slice[0].TenantId, async services =>
            {
                var db = services.GetRequiredService<StreamSpaceDb>();
                var running = await db.Sessions.Where(s => ids.Contains(s.Id)).ToListAsync(cancellationToken);
                var standings = await services.GetRequiredService<MemberQuotas>()
                    .OfAsync(running.Select(s => s.MemberId).Distinct().ToList(), cancellationToken);
                var due = running
                    .Select(session => (Session: session, Outlook: HibernationOutlook.For(session, standings[session.MemberId].Rules, now)))
                    .Where(d => d.Outlook.Due)
                    .Select(d => (d.Session, d.Outlook.Reason!))
                    .ToList();
                foreach (var (session, reason) in await services.GetRequiredService<SessionHibernation>().HibernateAsync(due, cancellationToken))
                {
                    hibernated++;
                    logger.LogInformation("Session {SessionId} hibernates: {Reason}", session.Id, reason);
                }
            }, cancellationToken);
        }

        return hibernated;
    }
}
