using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Web.Pages.Sessions;

public sealed class DetailsModel(StreamSpaceDb db) : PageModel
{
    public SessionDetails Session { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var memberId = Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var session = await db.Sessions
            .Where(s => s.Id == id && s.MemberId == memberId)
            .Join(db.Templates, s => s.TemplateId, t => t.Id, (s, t) => new SessionDetails(
                s.Id, s.Name, t.DisplayName, s.State, s.Progress, s.FailureReason, s.HibernateReason, s.CreatedAt, s.StartedAt, s.HibernatedAt))
            .SingleOrDefaultAsync(cancellationToken);
        if (session is null)
        {
            return NotFound();
        }

        Session = session;
        return Page();
    }
}
