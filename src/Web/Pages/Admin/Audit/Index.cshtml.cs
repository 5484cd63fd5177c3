using System.Globalization;
using System.Text;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Features.Export;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Web.Pages.Admin.Audit;

/// <summary>
/// The tenant's audit log: filters live in the query string (a filtered view is a link), pages continue from the last
/// event shown, and the CSV holds every event of the filter.
/// </summary>
public sealed class IndexModel(AuditLog log, TenantContext tenantContext, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true, Name = "action")]
    public string? AuditAction { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Target { get; set; }

    /// <summary>UTC, to the minute, as a <c>datetime-local</c> input sends it.</summary>
    [BindProperty(SupportsGet = true)]
    public DateTime? From { get; set; }

    /// <summary>UTC; the minute itself is included.</summary>
    [BindProperty(SupportsGet = true)]
    public DateTime? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? After { get; set; }

    public AuditPage Events { get; private set; } = new([], null);

    /// <summary>A range that ends before it starts matches nothing: say so rather than "no events match".</summary>
    public bool RangeIsBackwards => From is { } from && To is { } to && from > to;

    public AuditFilter Filter => new(
        Actor,
        AuditAction,
        Target,
        From is { } from ? new DateTimeOffset(DateTime.SpecifyKind(from, DateTimeKind.Utc)) : null,
        To is { } to ? new DateTimeOffset(DateTime.SpecifyKind(to, DateTimeKind.Utc)).AddMinutes(1) : null);

    /// <summary>The filter as query values, for the links to the next page and to the CSV.</summary>
    public Dictionary<string, string> FilterRoute()
    {
        var values = new Dictionary<string, string>();
        Add("actor", Actor);
        Add("action", AuditAction);
        Add("target", Target);
        Add("from", From?.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        Add("to", To?.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        return values;

        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                values[key] = value;
            }
        }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Events = await log.PageAsync(Filter, AuditCursor.Parse(After), cancellationToken);
        Response.Headers.Vary = "HX-Request";
        return Request.IsHtmx() ? Partial("_AuditResults", this) : Page();
    }

    /// <summary>The next rows and a new "Older events" row, appended in place of the old one.</summary>
    public async Task<IActionResult> OnGetRowsAsync(CancellationToken cancellationToken)
    {
        Events = await log.PageAsync(Filter, AuditCursor.Parse(After), cancellationToken);
        return Partial("_AuditRows", this);
    }

    /// <summary>Streamed row by row: an export of a large log never sits in memory.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        var slug = tenantContext.Tenant?.Slug ?? "tenant";
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{slug}-{time.GetUtcNow():yyyyMMdd-HHmm}.csv\"";
        await using var writer = new StreamWriter(Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true);
        await writer.WriteAsync(Csv.Line("time_utc", "actor", "action", "target", "source_ip", "details"));
        await foreach (var entry in log.AllAsync(Filter, cancellationToken))
        {
            await writer.WriteAsync(Csv.Line(
                entry.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
                entry.Actor, entry.Action, entry.Target, entry.SourceIp, entry.Details));
        }

        await writer.FlushAsync(cancellationToken);
        return new EmptyResult();
    }
}
