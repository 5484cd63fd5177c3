using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Web.Pages;

/// <summary>The product's front door outside a tenant; a member's home inside one.</summary>
public sealed class IndexModel(TenantContext tenantContext, StreamSpaceDb db) : PageModel
{
    public bool IsPortal { get; private set; }

    public string DisplayName { get; private set; } = string.Empty;

    public int TemplateCount { get; private set; }

    public int LiveSessionCount { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (tenantContext.Tenant is null)
        {
            return Page();
        }

        if (User.Identity?.IsAuthenticated != true)
        {
            return RedirectToPage("/Account/Login");
        }

        IsPortal = true;
        DisplayName = User.FindFirstValue(Infrastructure.Identity.StreamSpaceClaims.DisplayName) ?? User.Identity.Name ?? string.Empty;
        var memberId = Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        TemplateCount = await db.Templates.CountAsync(cancellationToken);
        LiveSessionCount = await db.Sessions.CountAsync(
            s => s.MemberId == memberId && s.State != SessionState.Terminated && s.State != SessionState.Failed, cancellationToken);
        return Page();
    }
}
