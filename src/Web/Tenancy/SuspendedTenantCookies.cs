using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Web.Tenancy;

/// <summary>
/// A cookie issued before its organisation was suspended (or deleted) stops working: the request continues signed out (so pages send
/// the member to the sign-in page, which says why) and the cookie is removed.
/// </summary>
public static class SuspendedTenantCookies
{
    /// <summary>Runs <paramref name="next"/> (Identity's security-stamp check) first, then refuses members of a suspended tenant.</summary>
    public static Func<CookieValidatePrincipalContext, Task> After(Func<CookieValidatePrincipalContext, Task> next) =>
        async context =>
        {
            await next(context);
            if (context.Principal?.FindFirst(StreamSpaceClaims.Tenant) is null)
            {
                return;
            }

            // Also a cookie whose organisation is gone, or was re-created under its id: the claims no longer name a tenant.
            var store = context.HttpContext.RequestServices.GetRequiredService<TenantStore>();
            var tenant = await store.FindClaimedAsync(context.Principal, context.HttpContext.RequestAborted);
            if (tenant is null || tenant.Status == TenantStatus.Suspended)
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            }
        };
}
