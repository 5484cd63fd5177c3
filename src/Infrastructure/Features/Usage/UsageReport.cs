namespace StreamSpace.Infrastructure.Features.Usage;

/// <summary>Session-hours per UTC day, oldest day first, in series of the chosen grouping (largest first).</summary>
public sealed record UsageReport(UsageGrouping By, IReadOnlyList<DateOnly> Days, IReadOnlyList<UsageSeries> Series)
{
    public double DayTotal(int day) => Series.Sum(s => s.Hours[day]);
}
