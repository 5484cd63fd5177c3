using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using StreamSpace.Domain.Audit;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Identity;

namespace StreamSpace.Web.Pages.Account;

public sealed class LogoutModel(SignInManager<Member> signIn, AuditTrail audit, StreamSpaceDb db) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Index");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            audit.Record(AuditActions.SignedOut, $"member/{User.Identity.Name}");

            // A new stamp: a copy of this cookie (or any other of this member's) is refused from now on, not only this browser's.
            if (await signIn.UserManager.GetUserAsync(User) is { } member)
            {
                await signIn.UserManager.UpdateSecurityStampAsync(member);
            }

            await db.SaveChangesAsync(cancellationToken);
            await signIn.SignOutAsync();
        }

        return RedirectToPage("/Account/Login");
    }
}
