using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace StreamSpace.Infrastructure.Tenancy;

/// <summary>
/// Finds the tenant of a request by host (<c>acme.localhost</c>), then by path prefix (<c>/t/acme/…</c>, which becomes the
/// path base so links keep it). A named tenant that does not exist answers 404. Runs before authentication.
/// </summary>
public sealed class TenantResolutionMiddleware(RequestDelegate next, IOptions<TenancyOptions> options)
{
    /// <summary>Set on a request whose tenant does not exist, so the error page can say so.</summary>
    public const string UnknownTenantKey = "StreamSpace.UnknownTenant";

    private readonly string _hostSuffix = "." + options.Value.BaseDomain.TrimStart('.');

    public async Task InvokeAsync(HttpContext context, TenantStore store, TenantContext tenantContext)
    {
        if (TenantFreePaths.Contains(context.Request.Path))
        {
            await next(context);
            return;
        }

        var slug = FromHost(context.Request.Host.Host) ?? FromPathPrefix(context.Request);
        if (slug is not null)
        {
            var tenant = await store.FindBySlugAsync(slug, context.RequestAborted);
            if (tenant is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                context.Items[UnknownTenantKey] = slug;
                return;
            }

            tenantContext.Use(tenant);
        }

        await next(context);
    }

    private string? FromHost(string host) =>
        host.EndsWith(_hostSuffix, StringComparison.OrdinalIgnoreCase) && host.Length > _hostSuffix.Length
            ? host[..^_hostSuffix.Length].ToLowerInvariant()
            : null;

    private static string? FromPathPrefix(HttpRequest request)
    {
        if (!request.Path.StartsWithSegments("/t", out var rest) || !rest.HasValue)
        {
            return null;
        }

        var value = rest.Value!;
        var end = value.IndexOf('/', 1);
        var slug = end < 0 ? value[1..] : value[1..end];
        if (slug.Length == 0)
        {
            return null;
        }

        request.PathBase = request.PathBase.Add("/t/" + slug);
        request.Path = end < 0 ? "/" : value[end..];
        return slug.ToLowerInvariant();
    }
}
