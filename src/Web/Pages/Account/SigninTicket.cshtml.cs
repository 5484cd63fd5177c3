using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Web.Pages.Account;

/// <summary>Completes a sign-in that began on another host (see <see cref="SignInHandover"/>).</summary>
public sealed class SigninTicketModel(SignInHandover handover, SignInManager<Member> signIn, TenantContext tenantContext) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string? ticket, CancellationToken cancellationToken)
    {
        if (tenantContext.Tenant is not { } tenant || string.IsNullOrEmpty(ticket))
        {
            return NotFound();
        }

        if (tenant.Status == TenantStatus.Suspended)
        {
            return RedirectToPage("/Account/Login");
        }

        var memberId = await handover.RedeemAsync(ticket, tenant.Id, cancellationToken);
        var member = memberId is null ? null : await signIn.UserManager.FindByIdAsync(memberId.Value.ToString());
        if (member is null || member.IsDisabled)
        {
            return RedirectToPage("/Account/Login");
        }

        await signIn.SignInAsync(member, isPersistent: false);
        return RedirectToPage("/Index");
    }
}
