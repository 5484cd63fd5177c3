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
            await db.SaveChangesAsync(cancellationToken);
            await signIn.SignOutAsync();
        }

        return RedirectToPage("/Account/Login");
    }
}
