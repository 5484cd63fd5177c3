using Hangfire;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Quotas;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Platform;
using StreamSpace.Infrastructure.Features.Sessions;

namespace StreamSpace.Workers.Jobs;

/// <summary>
/// <c>quotas.enforce</c>: when a tier or a member's override was lowered below what their live sessions hold, hibernates
/// their newest running sessions until they fit again. Hibernating keeps every file; the reason reads <c>quota</c>.
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
                var quotas = await services.GetRequiredService<QuotaAdmission>().QuotasOfAsync(memberIds, cancellationToken);
                var liveByMember = (await db.Sessions.AsNoTracking()
                        .Where(s => memberIds.Contains(s.MemberId) && SessionStateMachine.LiveStates.Contains(s.State))
                        .OrderBy(s => s.CreatedAt)
                        .ToListAsync(cancellationToken))
                    .GroupBy(s => s.MemberId);
                var hibernation = services.GetRequiredService<SessionHibernation>();
                foreach (var member in liveByMember)
                {
                    var live = member.ToList();
                    var quota = quotas[member.Key];

                    // Newest first: the session a member just opened is the one they lose least by.
                    for (var i = live.Count - 1; i >= 0 && QuotaCheck.Exceeds(Usage(live), quota); i--)
                    {
                        if (live[i].State == SessionState.Running && await hibernation.HibernateAsync(live[i].Id, "quota", cancellationToken))
                        {
                            hibernated++;
                            logger.LogInformation("Session {SessionId} hibernates: over {Source}", live[i].Id, quota.Source);
                            live.RemoveAt(i);
                        }
                    }
                }
            }, cancellationToken);
        }

        return hibernated;
    }

    private static QuotaUsage Usage(List<Session> live) =>
        new(live.Sum(s => s.MemoryBytes), live.Sum(s => s.CpuMillicores), live.Count);
}
