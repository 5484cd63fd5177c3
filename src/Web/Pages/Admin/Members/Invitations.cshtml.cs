using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using StreamSpace.Infrastructure.Features.Members;

namespace StreamSpace.Web.Pages.Admin.Members;

/// <summary>
/// The invitations whose links still work: who was invited, by whom, until when; Revoke makes a link stop working. A newer
/// invitation for the same e-mail replaces an older one by itself.
/// </summary>
public sealed class InvitationsModel(MemberInvitations invitations) : PageModel
{
    public IReadOnlyList<Invitation> Pending { get; private set; } = [];

    public string? Revoked { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Pending = await invitations.PendingAsync(cancellationToken);

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        Revoked = await invitations.RevokeAsync(id, cancellationToken);
        if (Revoked is null)
        {
            return NotFound();
        }

        Pending = await invitations.PendingAsync(cancellationToken);
        return Request.IsHtmx() ? Partial("_PendingInvitations", this) : Page();
    }
}
