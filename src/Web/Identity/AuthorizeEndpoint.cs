using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace StreamSpace.Web.Identity;

/// <summary>
/// <c>GET /connect/authorize</c> after OpenIddict has checked the client, its redirect URI and the PKCE challenge: a member
/// signed in to the portal gets a code acting as themselves in their own organisation; anyone else is sent to /login first.
/// The path is tenant-free, so the member's tenant comes from their cookie, and a tenant host must be that member's own.
/// </summary>
public static class AuthorizeEndpoint
{
    public static async Task<IResult> AuthorizeAsync(
        HttpContext http, TenantStore tenants, TenantContext tenantContext, StreamSpaceDb db, IOptions<TenancyOptions> tenancy)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The authorization request was not handled by OpenIddict.");
        var cookie = (await http.AuthenticateAsync(IdentityConstants.ApplicationScheme)).Principal;
        if (cookie?.Identity?.IsAuthenticated != true)
        {
            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = http.Request.PathBase + http.Request.Path + http.Request.QueryString },
                [IdentityConstants.ApplicationScheme]);
        }

        if (await tenants.FindClaimedAsync(cookie, http.RequestAborted) is not { } tenant
            || !Guid.TryParse(cookie.FindFirstValue(ClaimTypes.NameIdentifier), out var memberId)
            || !IsHostOf(http.Request.Host.Host, tenant.Slug, tenancy.Value.BaseDomain))
        {
            return Refuse("The signed-in account does not belong to this organisation.");
        }

        tenantContext.Use(tenant);
        var member = await db.Users.AsNoTracking().SingleOrDefaultAsync(m => m.Id == memberId, http.RequestAborted);
        if (member is null || member.DisabledAt is not null)
        {
            return Refuse("The signed-in member can no longer sign in.");
        }

        return Results.SignIn(TokenEndpoint.PrincipalFor(member, tenant, [.. request.GetScopes()]), properties: null,
            OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>On a tenant's host (<c>acme.localhost</c>) only that tenant's members; on the bare host, the cookie's own tenant.</summary>
    private static bool IsHostOf(string host, string slug, string baseDomain)
    {
        var suffix = "." + baseDomain.TrimStart('.');
        return !host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) || string.Equals(host, slug + suffix, StringComparison.OrdinalIgnoreCase);
    }

    private static IResult Refuse(string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.AccessDenied,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
