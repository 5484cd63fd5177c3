using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Web.Pages.Sessions;

public sealed class IndexModel(StreamSpaceDb db) : PageModel
{
    public IReadOnlyList<SessionRow> Sessions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var memberId = Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        Sessions = await db.Sessions
            .Where(s => s.MemberId == memberId && s.State != SessionState.Terminated)
            .OrderByDescending(s => s.CreatedAt)
            .Join(db.Templates, s => s.TemplateId, t => t.Id, (s, t) => new SessionRow(s.Id, s.Name, t.DisplayName, s.State, s.Progress, s.CreatedAt))
            .ToListAsync(cancellationToken);
    }
}
