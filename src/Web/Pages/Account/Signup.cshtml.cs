using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Tenants;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Web.Tenancy;

namespace StreamSpace.Web.Pages.Account;

[EnableRateLimiting(WebExtensions.SignInRateLimit)]
public sealed class SignupModel(TenantSignup signup, SignInHandover handover, TenantLinks links, TenantContext tenantContext, StreamSpaceDb db)
    : PageModel
{
    [BindProperty]
    public SignupForm Form { get; set; } = new();

    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public IActionResult OnGet() =>
        tenantContext.Tenant is null ? Page() : Redirect(new Uri(links.PlatformRoot(), "signup").ToString());

    /// <summary>Checks the tenant id while it is typed, so a taken or invalid one shows before submitting.</summary>
    public async Task<IActionResult> OnGetCheckTenantIdAsync([FromQuery(Name = "Form.TenantId")] string? tenantId, CancellationToken cancellationToken)
    {
        var problem = TenantSlug.Validate(tenantId?.Trim());
        if (problem is null && await db.Tenants.AnyAsync(t => t.Slug == tenantId!.Trim(), cancellationToken))
        {
            problem = $"\"{tenantId!.Trim()}\" is already taken; choose another tenant id.";
        }

        Response.Headers.Vary = "HX-Request";
        return Partial("_FieldMessage", new FieldMessage("tenant-id-help", problem,
            problem is null && !string.IsNullOrWhiteSpace(tenantId) ? $"Your portal will be at {links.PortalRoot(tenantId.Trim())}" : null));
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (tenantContext.Tenant is not null)
        {
            return BadRequest();
        }

        var result = await signup.SignUpAsync(
            new SignupRequest(Form.OrganisationName, Form.TenantId, Form.Email, Form.Password), cancellationToken);
        if (!result.Succeeded)
        {
            Errors = result.Errors;
            Form.Password = null;
            return Request.IsHtmx() ? Partial("_SignupForm", this) : Page();
        }

        var target = links.SignInHandover(result.Tenant!, handover.Issue(result.Tenant!.Id, result.Admin!.Id)).ToString();
        if (Request.IsHtmx())
        {
            Response.Htmx(headers => headers.Redirect(target));
            return new EmptyResult();
        }

        return Redirect(target);
    }

    public string? ErrorFor(string field) => Errors.GetValueOrDefault(field);
}
