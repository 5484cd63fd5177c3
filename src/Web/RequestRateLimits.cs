using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using StreamSpace.Web.Api;

namespace StreamSpace.Web;

public static class RequestRateLimits
{
    /// <summary>
    /// Sign-in attempts per client address (<see cref="SignInLimits"/>) and API calls per client or address
    /// (<see cref="ApiLimits"/>); a refused sign-in is told to wait a minute, a refused API call gets problem details.
    /// </summary>
    public static IServiceCollection AddRequestRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(WebExtensions.SignInRateLimit, context =>
            {
                if (!HttpMethods.IsPost(context.Request.Method))
                {
                    return RateLimitPartition.GetNoLimiter("read");
                }

                var limits = context.RequestServices.GetRequiredService<IOptions<SignInLimits>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.AttemptsPerMinute, Window = TimeSpan.FromMinutes(1) });
            });
            options.AddPolicy(ApiEndpoints.RateLimit, context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<ApiLimits>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.User.ClientId() is { } client ? "client:" + client : "ip:" + context.Connection.RemoteIpAddress,
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.RequestsPerMinute, Window = TimeSpan.FromMinutes(1) });
            });
            options.OnRejected = async (context, cancellationToken) =>
            {
                if (context.HttpContext.Request.Path.StartsWithSegments(ApiRequests.Prefix, StringComparison.OrdinalIgnoreCase))
                {
                    // ApiRequests writes the problem details on the way out.
                    return;
                }

                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync("Too many sign-in attempts from your address; wait a minute and try again.", cancellationToken);
            };
        });

        return services;
    }
}
