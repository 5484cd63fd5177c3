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

    private static readonly SessionState[] Holding =
        [SessionState.Pending, SessionState.Starting, SessionState.Running, SessionState.Resuming, SessionState.Hibernating];

    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var hibernated = 0;
        foreach (var member in await sessions.MembersWithLiveSessionsAsync(cancellationToken))
        {
            await tenants.RunAsync(member.TenantId, async services =>
            {
                var db = services.GetRequiredService<StreamSpaceDb>();
                var quota = await services.GetRequiredService<QuotaAdmission>().QuotaOfAsync(member.MemberId, cancellationToken);
                var live = await db.Sessions.AsNoTracking()
                    .Where(s => s.MemberId == member.MemberId && Holding.Contains(s.State))
                    .OrderBy(s => s.CreatedAt)
                    .ToListAsync(cancellationToken);
                var hibernation = services.GetRequiredService<SessionHibernation>();

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
            }, cancellationToken);
        }

        return hibernated;
    }

    private static QuotaUsage Usage(List<Session> live) =>
        new(live.Sum(s => s.MemoryBytes), live.Sum(s => s.CpuMillicores), live.Count);
}
