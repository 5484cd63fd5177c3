using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Web.Tenancy;

/// <summary>
/// After the tenant is known: a cookie whose member was disabled (or removed), or whose security stamp changed (a sign-out,
/// a disable, an upstream role change) since it was issued, signs out at once; one whose role changed by an admin is
/// re-issued with the member's current claims. One primary-key read per signed-in request, so a copied cookie does not keep
/// working for the rest of its 12 hours (Identity's own stamp check runs only every 30 minutes).
/// </summary>
public sealed class MemberStandingMiddleware(RequestDelegate next, IOptions<IdentityOptions> identity)
{
    public async Task InvokeAsync(HttpContext context, TenantContext tenantContext)
    {
        // Only the portal cookie: API tokens are checked by MemberStanding, and carry no security stamp.
        if (context.User.Identity is not { IsAuthenticated: true } signedIn || signedIn.AuthenticationType != IdentityConstants.ApplicationScheme
            || tenantContext.Tenant is null
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
            .Select(m => new { m.SecurityStamp, m.DisabledAt, m.Role })
            .SingleOrDefaultAsync(context.RequestAborted);
        if (standing is null || standing.DisabledAt is not null
            || context.User.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType) != standing.SecurityStamp)
        {
            await SignInOf(context).SignOutAsync();
            context.User = new ClaimsPrincipal(new ClaimsIdentity());

            // A page opened in the browser goes to the sign-in page, which says why; other requests carry on signed out.
            if (standing?.DisabledAt is not null && IsPageNavigation(context.Request))
            {
                context.Response.Redirect($"{context.Request.PathBase}/login?signedOut={DisabledReason}");
                return;
            }

            await next(context);
            return;
        }

        if (context.User.FindFirstValue(identity.Value.ClaimsIdentity.RoleClaimType) != standing.Role)
        {
            var signIn = SignInOf(context);
            var member = await signIn.UserManager.FindByIdAsync(memberId.ToString());
            await signIn.RefreshSignInAsync(member!);
            context.User = await signIn.CreateUserPrincipalAsync(member!);
        }

        await next(context);
    }

    /// <summary>The <c>signedOut</c> value the sign-in page reads to explain a disabled account.</summary>
    public const string DisabledReason = "disabled";

    private static bool IsPageNavigation(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && !request.Headers.ContainsKey("HX-Request")
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal)
        && !request.Path.StartsWithSegments("/login", StringComparison.OrdinalIgnoreCase);

    private static SignInManager<Member> SignInOf(HttpContext context) => context.RequestServices.GetRequiredService<SignInManager<Member>>();
}
