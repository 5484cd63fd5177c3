using Microsoft.EntityFrameworkCore;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Infrastructure.Features.Usage;

/// <summary>
/// The tenant's session-hours per day, read from the metered running periods (<c>session_runs</c>, which the hourly
/// <c>usage.rollup</c> summarises) so that sessions running now count up to this second.
/// </summary>
public sealed class TenantUsage(StreamSpaceDb db, TimeProvider time)
{
    public const int Days = 30;

    public async Task<UsageReport> DailyAsync(UsageGrouping by, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var days = Enumerable.Range(0, Days).Select(i => today.AddDays(i - Days + 1)).ToList();
        var from = Start(days[0]);

        var runs = await db.SessionRuns.AsNoTracking()
            .Where(r => r.StartedAt < now && (r.EndedAt == null || r.EndedAt > from))
            .Select(r => new { Key = by == UsageGrouping.Template ? r.TemplateId : r.MemberId, r.StartedAt, r.EndedAt })
            .ToListAsync(cancellationToken);
        var keys = runs.Select(r => r.Key).Distinct().ToList();
        var labels = by == UsageGrouping.Template
            ? await db.Templates.Where(t => keys.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.DisplayName, cancellationToken)
            : await db.Users.Where(m => keys.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Email ?? m.UserName ?? m.Id.ToString(), cancellationToken);

        var hours = keys.ToDictionary(k => k, _ => new double[Days]);
        foreach (var run in runs)
        {
            var end = run.EndedAt ?? now;
            for (var i = 0; i < Days; i++)
            {
                var overlap = Min(end, Start(days[i]).AddDays(1)) - Max(run.StartedAt, Start(days[i]));
                if (overlap > TimeSpan.Zero)
                {
                    hours[run.Key][i] += overlap.TotalHours;
                }
            }
        }

        var series = hours
            .Select(h => new UsageSeries(labels.GetValueOrDefault(h.Key) ?? "(removed)", h.Value.Select(v => Math.Round(v, 2)).ToList()))
            .OrderByDescending(s => s.Total)
            .ThenBy(s => s.Label, StringComparer.Ordinal)
            .ToList();
        return new UsageReport(by, days, series);
    }

    private static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
