using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Members;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Lifecycle;
using StreamSpace.Infrastructure.Features.Tiers;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Web.Tenancy;

namespace StreamSpace.Web.Pages.Sessions;

/// <summary>
/// The full-window viewer: noVNC in <c>#screen</c> for an <c>rfb</c> session, or the app's own web client framed from its
/// session host for an <c>http</c> one; either way the toolbar, the idle countdown and connection state in <c>#status</c>.
/// </summary>
public sealed class ViewModel(
    StreamSpaceDb db, MemberQuotas quotas, AdminWatchers watchers, TenantContext tenantContext, TimeProvider time,
    SignInHandover handover, TenantLinks links, IHomeSpaces homes) : PageModel
{
    public ViewerSession Session { get; private set; } = null!;

    /// <summary>For an <c>http</c> session: where the frame goes for a fresh ticket to the app (<see cref="OnGetEnterAsync"/>).</summary>
    public string? AppUrl { get; private set; }

    private Guid MemberId => Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);

    /// <summary>A tenant admin of an organisation that allows it may watch any member's session read-only.</summary>
    private bool MayWatch => tenantContext.Tenant?.AdminViewing == true && User.IsInRole(MemberRole.TenantAdmin);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var memberId = MemberId;
        var mayWatch = MayWatch;
        var session = await db.Sessions
            .Where(s => s.Id == id && (s.MemberId == memberId || mayWatch))
            .Join(db.Templates, s => s.TemplateId, t => t.Id, (s, t) => new { s.Id, s.Name, t.DisplayName, s.State, s.MemberId, t.Protocol })
            .Join(db.Users, s => s.MemberId, m => m.Id, (s, m) => new { s.Id, s.Name, s.DisplayName, s.State, s.MemberId, s.Protocol, m.Email })
            .SingleOrDefaultAsync(cancellationToken);
        if (session is null || (session.Protocol == StreamProtocol.Http && session.MemberId != memberId))
        {
            // An app served over http has no read-only view: only its owner is ever handed a ticket.
            return NotFound();
        }

        AppUrl = session.Protocol == StreamProtocol.Http ? Url.Page("/Sessions/View", "Enter", new { id = session.Id }) : null;

        var tier = (await quotas.OfAsync(session.MemberId, cancellationToken)).Tier;
        Session = new ViewerSession(
            session.Id, session.Name, session.DisplayName, session.State, tier.ClipboardIn, tier.ClipboardOut, tier.Watermark,
            session.MemberId == memberId ? null : session.Email);
        return Page();
    }

    /// <summary>The framed app's way in: a one-time ticket for the owner of a running <c>http</c> session, by redirect to its host.</summary>
    public async Task<IActionResult> OnGetEnterAsync(Guid id, CancellationToken cancellationToken)
    {
        var memberId = MemberId;
        var session = await db.Sessions
            .Where(s => s.Id == id && s.MemberId == memberId)
            .Join(db.Templates, s => s.TemplateId, t => t.Id, (s, t) => new { s.Id, s.Name, s.State, t.Protocol })
            .SingleOrDefaultAsync(cancellationToken);
        if (session is not { Protocol: StreamProtocol.Http })
        {
            return NotFound();
        }

        if (session.State != SessionState.Running)
        {
            return new ContentResult
            {
                StatusCode = StatusCodes.Status409Conflict,
                ContentType = "text/plain; charset=utf-8",
                Content = $"The session is {session.State.ToString().ToLowerInvariant()}, not running.",
            };
        }

        var ticket = handover.Issue(tenantContext.Tenant!.Id, memberId, SignInHandover.SessionAudience(session.Id));
        return Redirect(links.SessionApp(tenantContext.Tenant!, session.Name, ticket).ToString());
    }

    public async Task<IActionResult> OnGetStatusAsync(Guid id, CancellationToken cancellationToken)
    {
        var memberId = MemberId;
        var mayWatch = MayWatch;
        var session = await db.Sessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && (s.MemberId == memberId || mayWatch), cancellationToken);
        if (session is null)
        {
            return NotFound();
        }

        var outlook = HibernationOutlook.For(session, (await quotas.OfAsync(session.MemberId, cancellationToken)).Rules, time.GetUtcNow());
        return new JsonResult(new SessionStatus(
            session.State.ToString(), session.Progress, session.FailureReason, outlook.At, outlook.Reason, outlook.Warn, session.KeepAwake,
            session.State == SessionState.Hibernated ? session.HibernateReason : null,
            watchers.IsWatched(session.Id),
            homes.Find(tenantContext.Tenant!.Slug, session.MemberId)?.IsFull == true));
    }
}
