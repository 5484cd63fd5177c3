using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Lifecycle;

namespace StreamSpace.Web.Pages.Sessions;

/// <summary>The full-window viewer: noVNC in <c>#screen</c>, connection state in <c>#status</c>.</summary>
public sealed class ViewModel(StreamSpaceDb db, SessionRules rules, TimeProvider time) : PageModel
{
    public ViewerSession Session { get; private set; } = null!;

    private Guid MemberId => Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var memberId = MemberId;
        var session = await db.Sessions
            .Where(s => s.Id == id && s.MemberId == memberId)
            .Join(db.Templates, s => s.TemplateId, t => t.Id, (s, t) => new { s.Id, s.Name, t.DisplayName, s.State, s.MemberId })
            .SingleOrDefaultAsync(cancellationToken);
        if (session is null)
        {
            return NotFound();
        }

        var tier = await db.Users.Where(m => m.Id == memberId)
            .Join(db.Tiers, m => m.TierId, t => t.Id, (m, t) => new { t.ClipboardIn, t.ClipboardOut, t.Watermark })
            .SingleOrDefaultAsync(cancellationToken);
        Session = new ViewerSession(
            session.Id, session.Name, session.DisplayName, session.State, tier?.ClipboardIn ?? true, tier?.ClipboardOut ?? true, tier?.Watermark ?? false);
        return Page();
    }

    public async Task<IActionResult> OnGetStatusAsync(Guid id, CancellationToken cancellationToken)
    {
        var memberId = MemberId;
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.MemberId == memberId, cancellationToken);
        if (session is null)
        {
            return NotFound();
        }

        var outlook = HibernationOutlook.For(session, await rules.ForMemberAsync(memberId, cancellationToken), time.GetUtcNow());
        return new JsonResult(new SessionStatus(
            session.State.ToString(), session.Progress, session.FailureReason, outlook.At, outlook.Reason, outlook.Warn, session.KeepAwake,
            session.State == SessionState.Hibernated ? session.HibernateReason : null));
    }
}
