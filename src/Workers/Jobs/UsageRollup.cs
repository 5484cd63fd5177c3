using Hangfire;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Workers.Jobs;

/// <summary>
/// <c>usage.rollup</c>: session-seconds per tenant, member, template and UTC hour, from the metered running periods.
/// Each run rewrites the last two days' hours from scratch in one statement, so running it twice changes nothing.
/// </summary>
public sealed class UsageRollup(StreamSpaceDb db, TimeProvider time, ILogger<UsageRollup> logger)
{
    public const string JobId = "usage.rollup";

    private static readonly TimeSpan Window = TimeSpan.FromHours(48);

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var from = Truncate(now - Window);

        // Rows of every tenant at once: the statement is the whole job, and it only ever reads and writes metering.
        var rows = await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO usage_samples (tenant_id, member_id, template_id, hour, seconds)
            SELECT r.tenant_id, r.member_id, r.template_id, h.hour,
                   SUM(EXTRACT(EPOCH FROM LEAST(COALESCE(r.ended_at, {now}), h.hour + interval '1 hour') - GREATEST(r.started_at, h.hour)))::bigint
            FROM session_runs r
            CROSS JOIN LATERAL generate_series(
                date_trunc('hour', GREATEST(r.started_at, {from}), 'UTC'),
                date_trunc('hour', COALESCE(r.ended_at, {now}), 'UTC'),
                interval '1 hour') AS h(hour)
            WHERE COALESCE(r.ended_at, {now}) > {from}
            GROUP BY r.tenant_id, r.member_id, r.template_id, h.hour
            HAVING SUM(EXTRACT(EPOCH FROM LEAST(COALESCE(r.ended_at, {now}), h.hour + interval '1 hour') - GREATEST(r.started_at, h.hour))) > 0
            ON CONFLICT (tenant_id, member_id, template_id, hour) DO UPDATE SET seconds = excluded.seconds
            """,
            cancellationToken);
        logger.LogInformation("Usage rolled up: {Rows} hour rows since {From}", rows, from);
        return rows;
    }

    private static DateTimeOffset Truncate(DateTimeOffset at) => new(at.Year, at.Month, at.Day, at.Hour, 0, 0, TimeSpan.Zero);
}
