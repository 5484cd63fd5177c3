namespace StreamSpace.Infrastructure.Features.Usage;

/// <summary>Session-hours of one template or member, one value per day of the report.</summary>
public sealed record UsageSeries(string Label, IReadOnlyList<double> Hours)
{
    public double Total => Hours.Sum();
}
