using Hangfire;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Quotas;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Workers.Jobs;

/// <summary>
/// <c>quotas.enforce</c>: when a tier or a member's override was lowered below what their live sessions hold (sessions,
/// memory, CPU), hibernates their newest running sessions until they fit again; when the max session duration was lowered,
/// moves running sessions' deadlines earlier so the idle sweep hibernates them (with its countdown) at the new limit.
/// Hibernating keeps every file; the reason reads <c>quota</c>.
/// </summary>
public sealed class QuotaEnforcement(AllTenantsSessions sessions, TenantScope tenants, ILogger<QuotaEnforcement> logger)
{
    public const string JobId = "quotas.enforce";

    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var hibernated = 0;

        // Per tenant: one scope, the members' quotas in one pass and their live sessions in one query.
        foreach (var tenant in (await sessions.MembersWithLiveSessionsAsync(cancellationToken)).GroupBy(m => m.TenantId))
        {
            var memberIds = tenant.Select(m => m.MemberId).ToList();
            await tenants.RunAsync(tenant.Key, async services =>
            {
                var db = services.GetRequiredService<StreamSpaceDb>();
                var standings = await services.GetRequiredService<MemberQuotas>().OfAsync(memberIds, cancellationToken);
                var liveByMember = (await db.Sessions
                        .Where(s => memberIds.Contains(s.MemberId) && SessionStateMachine.LiveStates.Contains(s.State))
                        .OrderBy(s => s.CreatedAt)
                        .ToListAsync(cancellationToken))
                    .GroupBy(s => s.MemberId);
                var shortened = 0;
                foreach (var member in liveByMember)
                {
                    var quota = standings[member.Key].Quota;
                    foreach (var session in member.Where(s => s.StartedAt is not null))
                    {
                        shortened += session.LimitDeadline(session.StartedAt!.Value + quota.MaxSessionDuration) ? 1 : 0;
                    }
                }

                if (shortened > 0)
                {
                    await db.SaveChangesAsync(cancellationToken);
                    logger.LogInformation("{Count} running sessions got an earlier deadline: their max session duration was lowered", shortened);
                }

                var hibernation = services.GetRequiredService<SessionHibernation>();
                foreach (var member in liveByMember)
                {
                    // A session already hibernating is on its way out: counting it would hibernate one more on every run until its job ends.
                    var live = member.Where(s => s.State != SessionState.Hibernating).ToList();
                    var quota = standings[member.Key].Quota;
                    var over = QuotaCheck.SessionsToHibernate(
                        [.. live.Select(s => new LiveSession(s.State == SessionState.Running, s.MemoryBytes, s.CpuMillicores))], quota);
                    foreach (var index in over)
                    {
                        if (await hibernation.HibernateAsync(live[index].Id, "quota", cancellationToken))
                        {
                            hibernated++;
                            logger.LogInformation("Session {SessionId} hibernates: over {Source}", live[index].Id, quota.Source);
                        }
                    }
                }
            }, cancellationToken);
        }

        return hibernated;
    }
}
