using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using StreamSpace.Infrastructure.Features.Export;
using StreamSpace.Infrastructure.Features.Usage;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Web.Pages.Admin.Usage;

/// <summary>Session-hours per day for the last 30 days, by template or by member: a chart, the same numbers as a table, and a CSV.</summary>
public sealed class IndexModel(TenantUsage usage, TenantContext tenantContext) : PageModel
{
    /// <summary><c>template</c> (default) or <c>member</c>.</summary>
    [BindProperty(SupportsGet = true)]
    public string? By { get; set; }

    public UsageGrouping Grouping => string.Equals(By, "member", StringComparison.OrdinalIgnoreCase) ? UsageGrouping.Member : UsageGrouping.Template;

    public UsageReport Report { get; private set; } = new(UsageGrouping.Template, [], []);

    /// <summary>The chart's data (labels and one dataset per series), for the page's JSON script block.</summary>
    public string ChartJson => JsonSerializer.Serialize(new
    {
        labels = Report.Days.Select(d => d.ToString("MM-dd", CultureInfo.InvariantCulture)),
        datasets = Report.Series.Select(s => new { label = s.Label, data = s.Hours }),
    });

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Report = await usage.DailyAsync(Grouping, cancellationToken);

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        Report = await usage.DailyAsync(Grouping, cancellationToken);
        var csv = new StringBuilder(Csv.Line("day", Grouping == UsageGrouping.Member ? "member" : "template", "session_hours"));
        for (var day = 0; day < Report.Days.Count; day++)
        {
            foreach (var series in Report.Series.Where(s => s.Hours[day] > 0))
            {
                csv.Append(Csv.Line(
                    Report.Days[day].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    series.Label,
                    series.Hours[day].ToString("0.00", CultureInfo.InvariantCulture)));
            }
        }

        var name = $"usage-{tenantContext.Tenant?.Slug ?? "tenant"}-by-{Grouping.ToString().ToLowerInvariant()}.csv";
        return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", name);
    }
}
