using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Web.Identity;

namespace StreamSpace.Web.Pages.Account;

/// <summary>
/// The device flow's verification page: a signed-in member enters (or confirms) the code the CLI printed and approves it;
/// the CLI's token then acts as this member in this tenant.
/// </summary>
[Authorize]
public sealed class DeviceModel(StreamSpaceDb db, TenantContext tenantContext) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user_code")]
    public string? UserCode { get; set; }

    /// <summary>The scopes the device asked for, once the code was found valid.</summary>
    public IReadOnlyList<string>? Scopes { get; private set; }

    public string? Error { get; private set; }

    public bool Approved { get; private set; }

    public async Task OnGetAsync()
    {
        if (!string.IsNullOrEmpty(UserCode))
        {
            await ReadRequestAsync();
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var request = await ReadRequestAsync();
        if (request is null)
        {
            return Page();
        }

        var memberId = Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var member = await db.Users.AsNoTracking().SingleAsync(m => m.Id == memberId, cancellationToken);
        var principal = TokenEndpoint.PrincipalFor(member, tenantContext.Tenant!, [.. request.GetScopes()]);
        return SignIn(principal, new AuthenticationProperties { RedirectUri = Url.Page("/Account/Device", new { approved = true }) },
            OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private async Task<ClaimsPrincipal?> ReadRequestAsync()
    {
        var result = await HttpContext.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        // An unknown code still authenticates, as an empty principal: a real device request names its client.
        if (!result.Succeeded || string.IsNullOrEmpty(result.Principal?.GetClaim(OpenIddictConstants.Claims.ClientId)))
        {
            Error = "That code is unknown or expired; start the sign-in on your device again.";
            return null;
        }

        Scopes = [.. result.Principal!.GetScopes()];
        return result.Principal;
    }
}
