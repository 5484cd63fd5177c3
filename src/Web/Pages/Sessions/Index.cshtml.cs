using System.Security.Claims;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Lifecycle;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Web.Pages.Sessions;

public sealed class IndexModel(
    StreamSpaceDb db, MemberSessions sessions, MemberQuotas quotas, TimeProvider time, IHomeSpaces homes, TenantContext tenantContext) : PageModel
{
    public IReadOnlyList<SessionRow> Sessions { get; private set; } = [];

    /// <summary>The member's metered session time this month (rolled up hourly).</summary>
    public TimeSpan UsageThisMonth { get; private set; }

    /// <summary>The filesystem of the member's home, when this runtime can see it.</summary>
    public HomeSpace? Home { get; private set; }

    private Guid MemberId => Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Sessions = await RowsAsync(null, cancellationToken);
        Home = homes.Find(tenantContext.Tenant!.Slug, MemberId);
        var now = time.GetUtcNow();
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var memberId = MemberId;
        UsageThisMonth = TimeSpan.FromSeconds(await db.UsageSamples
            .Where(u => u.MemberId == memberId && u.Hour >= monthStart)
            .SumAsync(u => u.Seconds, cancellationToken));
    }

    /// <summary>One row, for the rows that poll while their session changes state.</summary>
    public async Task<IActionResult> OnGetRowAsync(Guid id, CancellationToken cancellationToken)
    {
        var row = (await RowsAsync(id, cancellationToken)).SingleOrDefault();
        Response.Headers.Vary = "HX-Request";
        if (row is not null)
        {
            return Partial("_SessionRow", row);
        }

        // A session of the member's that has just terminated leaves the list: an empty row swaps the polling one out.
        var memberId = MemberId;
        return await db.Sessions.AnyAsync(s => s.Id == id && s.MemberId == memberId && s.State == SessionState.Terminated, cancellationToken)
            ? Content(string.Empty, "text/html")
            : NotFound();
    }

    public Task<IActionResult> OnPostHibernateAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, () => sessions.HibernateAsync(MemberId, id, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostResumeAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, () => sessions.ResumeAsync(MemberId, id, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostTerminateAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, () => sessions.TerminateAsync(MemberId, id, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostKeepAwakeAsync(Guid id, bool on, CancellationToken cancellationToken) =>
        ActAsync(id, () => sessions.SetKeepAwakeAsync(MemberId, id, on, cancellationToken), cancellationToken);

    /// <summary>The viewer's countdown button: counts as input.</summary>
    public async Task<IActionResult> OnPostKeepWorkingAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            await sessions.KeepWorkingAsync(MemberId, id, cancellationToken);
            return new NoContentResult();
        }
        catch (SessionNotFoundException)
        {
            return NotFound();
        }
    }

    private async Task<IActionResult> ActAsync(Guid id, Func<Task> action, CancellationToken cancellationToken)
    {
        string? error = null;
        try
        {
            await action();
        }
        catch (SessionNotFoundException)
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            error = e.Message;
        }

        // The viewer's toolbar asks for JSON: it shows a refusal itself.
        if (Request.GetTypedHeaders().Accept.Any(a => a.MediaType == "application/json"))
        {
            return error is null ? new NoContentResult() : new ConflictObjectResult(new { error });
        }

        if (!Request.IsHtmx())
        {
            return RedirectToPage();
        }

        db.ChangeTracker.Clear();
        var row = (await RowsAsync(id, cancellationToken)).Single();
        return Partial("_SessionRow", row with { Error = error });
    }

    private async Task<List<SessionRow>> RowsAsync(Guid? only, CancellationToken cancellationToken)
    {
        var memberId = MemberId;
        var found = await db.Sessions.AsNoTracking()
            .Where(s => s.MemberId == memberId && s.State != SessionState.Terminated && (only == null || s.Id == only))
            .OrderByDescending(s => s.CreatedAt)
            .Join(db.Templates, s => s.TemplateId, t => t.Id, (s, t) => new { Session = s, Template = t.DisplayName })
            .ToListAsync(cancellationToken);
        var memberRules = (await quotas.OfAsync(memberId, cancellationToken)).Rules;
        var now = time.GetUtcNow();
        return found.Select(f => new SessionRow(
                f.Session.Id, f.Session.Name, f.Template, f.Session.State, f.Session.Progress, f.Session.FailureReason, f.Session.CreatedAt,
                f.Session.KeepAwake, HibernationOutlook.For(f.Session, memberRules, now), f.Session.HibernateReason))
            .ToList();
    }
}
