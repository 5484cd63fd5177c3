using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Web.Tenancy;

/// <summary>
/// After the tenant is known: a cookie whose member was disabled (or removed) since it was issued signs out at once; one
/// whose security stamp changed (a new role) is re-issued with the member's current claims. One primary-key read per
/// signed-in request, so a disabled member does not keep working for the rest of a 12-hour cookie.
/// </summary>
public sealed class MemberStandingMiddleware(RequestDelegate next, IOptions<IdentityOptions> identity)
{
    public async Task InvokeAsync(HttpContext context, TenantContext tenantContext)
    {
        if (context.User.Identity?.IsAuthenticated != true || tenantContext.Tenant is null
            || !Guid.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var memberId))
        {
            await next(context);
            return;
        }

        // Resolved here rather than as parameters: anonymous requests need neither, and the sign-in manager (costly to build)
        // only when the cookie must change.
        var db = context.RequestServices.GetRequiredService<StreamSpaceDb>();
        var standing = await db.Users.AsNoTracking()
            .Where(m => m.Id == memberId)
            .Select(m => new { m.SecurityStamp, m.DisabledAt })
            .SingleOrDefaultAsync(context.RequestAborted);
        if (standing is null || standing.DisabledAt is not null)
        {
            await SignInOf(context).SignOutAsync();
            context.User = new ClaimsPrincipal(new ClaimsIdentity());
            await next(context);
            return;
        }

        if (context.User.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType) != standing.SecurityStamp)
        {
            var signIn = SignInOf(context);
            var member = await signIn.UserManager.FindByIdAsync(memberId.ToString());
            await signIn.RefreshSignInAsync(member!);
            context.User = await signIn.CreateUserPrincipalAsync(member!);
        }

        await next(context);
    }

    private static SignInManager<Member> SignInOf(HttpContext context) => context.RequestServices.GetRequiredService<SignInManager<Member>>();
}
