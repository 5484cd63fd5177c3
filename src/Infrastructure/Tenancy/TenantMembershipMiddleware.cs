using Microsoft.AspNetCore.Http;

namespace StreamSpace.Infrastructure.Tenancy;

/// <summary>
/// After authentication: falls back to the signed-in member's tenant claim when the request named no tenant, and answers 403
/// when the member belongs to a different tenant than the one the request names.
/// </summary>
public sealed class TenantMembershipMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, TenantStore store, TenantContext tenantContext)
    {
        if (TenantFreePaths.Contains(context.Request.Path))
        {
            await next(context);
            return;
        }

        var claimed = context.User.FindFirst(Identity.StreamSpaceClaims.TenantId)?.Value;
        if (claimed is not null && context.User.Identity?.IsAuthenticated == true)
        {
            if (tenantContext.Tenant is { } resolved)
            {
                if (!string.Equals(resolved.Id.ToString("D"), claimed, StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return;
                }
            }
            else if (await store.FindClaimedAsync(context.User, context.RequestAborted) is { } tenant)
            {
                tenantContext.Use(tenant);
            }
        }

        await next(context);
    }
}
