using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace StreamSpace.Infrastructure.Tenancy;

/// <summary>
/// Finds the tenant of a request by host (<c>acme.localhost</c>), then by path prefix (<c>/t/acme/…</c>, which becomes the
/// path base so links keep it). A named tenant that does not exist answers 404. Runs before authentication.
/// A host one label deeper, <c>{session}.{tenant}.{BaseDomain}</c>, is a session's web app: its tenant is resolved the same
/// way and the session name is left in <see cref="SessionHostKey"/> for the app proxy.
/// </summary>
public sealed class TenantResolutionMiddleware(RequestDelegate next, IOptions<TenancyOptions> options)
{
    /// <summary>Set on a request whose tenant does not exist, so the error page can say so.</summary>
    public const string UnknownTenantKey = "StreamSpace.UnknownTenant";

    /// <summary>Set to the session name on a request to a session's own host.</summary>
    public const string SessionHostKey = "StreamSpace.SessionHost";

    private readonly string _hostSuffix = "." + options.Value.BaseDomain.TrimStart('.');

    public async Task InvokeAsync(HttpContext context, TenantStore store, TenantContext tenantContext)
    {
        var slug = FromHost(context.Request.Host.Host);
        var dot = slug?.LastIndexOf('.') ?? -1;
        if (dot > 0)
        {
            // Every path of a session's host belongs to its app, tenant-free ones included.
            context.Items[SessionHostKey] = slug![..dot];
            slug = slug[(dot + 1)..];
        }
        else if (TenantFreePaths.Contains(context.Request.Path))
        {
            await next(context);
            return;
        }

        slug ??= FromPathPrefix(context.Request);
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
        if (!request.Path.StartsWithSegments("/t", StringComparison.OrdinalIgnoreCase, out var rest) || !rest.HasValue)
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
