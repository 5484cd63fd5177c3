using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StreamSpace.Infrastructure.Observability;

namespace StreamSpace.Web.Pages.Platform;

/// <summary>Readiness now (checked on every visit) and the last reports this Web process kept in memory.</summary>
public sealed class HealthModel(HealthCheckService checks, HealthHistory history) : PageModel
{
    public IReadOnlyList<HealthSnapshot> Reports { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        history.Record(await checks.CheckHealthAsync(check => check.Tags.Contains(ReadinessChecks.ReadyTag), cancellationToken));
        Reports = history.Reports;
    }

    public static string BadgeOf(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "text-bg-success",
        HealthStatus.Degraded => "text-bg-warning",
        _ => "text-bg-danger",
    };
}
