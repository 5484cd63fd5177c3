using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Lifecycle;
using StreamSpace.Infrastructure.Features.Platform;

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

    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();

        // The query over-selects members without a tier (shortest plausible timeout); the outlook below decides.
        var candidates = await sessions.DueForHibernationAsync(
            settings.Enabled, TimeSpan.FromMinutes(Math.Min(15, settings.DefaultIdleTimeoutSpan.TotalMinutes)), now, cancellationToken);
        var hibernated = 0;
        foreach (var candidate in candidates)
        {
            await tenants.RunAsync(candidate.TenantId, async services =>
            {
                var db = services.GetRequiredService<StreamSpaceDb>();
                var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == candidate.SessionId, cancellationToken);
                if (session is null)
                {
                    return;
                }

                var rules = await services.GetRequiredService<SessionRules>().ForMemberAsync(session.MemberId, cancellationToken);
                var outlook = HibernationOutlook.For(session, rules, now);
                if (outlook.Due && await services.GetRequiredService<SessionHibernation>().HibernateAsync(session.Id, outlook.Reason!, cancellationToken))
                {
                    hibernated++;
                    logger.LogInformation("Session {SessionId} hibernates: {Reason}", session.Id, outlook.Reason);
                }
            }, cancellationToken);
        }

        return hibernated;
    }
}
