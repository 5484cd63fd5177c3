using System.Security.Claims;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Sessions;

namespace StreamSpace.Web.Pages.Sessions;

public sealed class IndexModel(StreamSpaceDb db, MemberSessions sessions) : PageModel
{
    public IReadOnlyList<SessionRow> Sessions { get; private set; } = [];

    private Guid MemberId => Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Sessions = await Rows().ToListAsync(cancellationToken);

    /// <summary>One row, for the rows that poll while their session changes state.</summary>
    public async Task<IActionResult> OnGetRowAsync(Guid id, CancellationToken cancellationToken)
    {
        var row = await Rows().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        Response.Headers.Vary = "HX-Request";
        return row is null ? NotFound() : Partial("_SessionRow", row);
    }

    public Task<IActionResult> OnPostHibernateAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, () => sessions.HibernateAsync(MemberId, id, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostResumeAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, () => sessions.ResumeAsync(MemberId, id, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostTerminateAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, () => sessions.TerminateAsync(MemberId, id, cancellationToken), cancellationToken);

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

        if (!Request.IsHtmx())
        {
            return RedirectToPage();
        }

        db.ChangeTracker.Clear();
        var row = await Rows().SingleAsync(r => r.Id == id, cancellationToken);
        return Partial("_SessionRow", row with { Error = error });
    }

    private IQueryable<SessionRow> Rows()
    {
        var memberId = MemberId;
        return db.Sessions
            .Where(s => s.MemberId == memberId && s.State != SessionState.Terminated)
            .OrderByDescending(s => s.CreatedAt)
            .Join(db.Templates, s => s.TemplateId, t => t.Id, (s, t) => new SessionRow(s.Id, s.Name, t.DisplayName, s.State, s.Progress, s.FailureReason, s.CreatedAt));
    }
}
