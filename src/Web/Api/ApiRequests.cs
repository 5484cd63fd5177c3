using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Web.Api;

/// <summary>
/// For <c>/api/v1</c>: the caller is the bearer token (not the portal cookie), the tenant is the token's (never the host's),
/// and every error answers RFC 9457 problem details instead of the portal's HTML error pages.
/// </summary>
public sealed class ApiRequests(RequestDelegate next, IProblemDetailsService problems)
{
    public const string Prefix = "/api/v1";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        // Resolved here rather than as parameters, so requests outside the API do not build them.
        var tenants = context.RequestServices.GetRequiredService<TenantStore>();
        var tenantContext = context.RequestServices.GetRequiredService<TenantContext>();

        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
        {
            statusCodePages.Enabled = false;
        }

        var result = await context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (result.Succeeded)
        {
            context.User = result.Principal;
            var tenant = await tenants.FindClaimedAsync(context.User, context.RequestAborted);
            if (tenant is null)
            {
                await WriteAsync(context, StatusCodes.Status401Unauthorized, "The token's organisation no longer exists.");
                return;
            }

            // A /t/{tenant} prefix may have named a tenant already; it must be the token's.
            if (tenantContext.Tenant is { } named && named.Id != tenant.Id)
            {
                await WriteAsync(context, StatusCodes.Status403Forbidden, "The token belongs to another organisation.");
                return;
            }

            tenantContext.Use(tenant);

            // A disable or a suspension after the token was issued stops it here, at its next request: 403, since a new token
            // would not help (a client renews on 401), with the reason in the problem's detail.
            var refusal = Guid.TryParse(context.User.FindFirst(OpenIddictConstants.Claims.Subject)?.Value, out var memberId)
                ? await context.RequestServices.GetRequiredService<MemberStanding>().RefusalAsync(memberId, context.RequestAborted)
                : "The token names no member.";
            if (refusal is not null)
            {
                await WriteAsync(context, StatusCodes.Status403Forbidden, refusal);
                return;
            }
        }

        await next(context);
        if (context.Response.StatusCode >= 400 && !context.Response.HasStarted && context.Response.ContentLength is null && context.Response.ContentType is null)
        {
            await WriteAsync(context, context.Response.StatusCode, null);
        }
    }

    private async Task WriteAsync(HttpContext context, int status, string? detail)
    {
        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Detail = detail ?? DetailOf(status) },
        });
    }

    private static string? DetailOf(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "Send a bearer token: POST /connect/token with an API client's credentials.",
        StatusCodes.Status403Forbidden => "The token's scopes or the member's role do not allow this.",
        StatusCodes.Status404NotFound => "There is nothing here.",
        StatusCodes.Status429TooManyRequests => "Too many requests from this client; wait a minute and try again.",
        _ => null,
    };
}
