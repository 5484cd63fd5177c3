using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using StreamSpace.Infrastructure.Features.Members;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Web.Pages.Account;

/// <summary>Where an invitation link leads, on the organisation's host: choose a password, become a member, signed in.</summary>
public sealed class InviteModel(MemberInvitations invitations, SignInManager<Member> signIn, TenantContext tenantContext) : PageModel
{
    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public string? Email { get; private set; }

    public IReadOnlyList<string> Problems { get; private set; } = [];

    /// <summary>The link itself is unusable (unknown, used, expired): no form, only the reason.</summary>
    public bool Refused { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        if (tenantContext.Tenant is null)
        {
            return NotFound();
        }

        var check = await invitations.CheckAsync(token, cancellationToken);
        Email = check.Invitation?.Email;
        if (!check.IsValid)
        {
            Refused = true;
            Problems = [check.Problem!];
            Response.StatusCode = StatusCodes.Status410Gone;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        if (tenantContext.Tenant is null)
        {
            return NotFound();
        }

        var accepted = await invitations.AcceptAsync(token, DisplayName, Password, cancellationToken);
        if (!accepted.Succeeded)
        {
            var check = await invitations.CheckAsync(token, cancellationToken);
            Email = check.Invitation?.Email;
            Refused = !check.IsValid;
            Problems = accepted.Problems;
            Response.StatusCode = Refused ? StatusCodes.Status410Gone : StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        await signIn.SignInAsync(accepted.Member!, isPersistent: false);
        return Redirect(Url.Content("~/"));
    }
}
