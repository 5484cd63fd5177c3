using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Prometheus;

namespace StreamSpace.Infrastructure.Observability;

public static class ObservabilityExtensions
{
    /// <summary>
    /// The product's metrics in this host's registry and, when <c>Metrics:Port</c> is set, a listener of its own serving
    /// <c>/metrics</c> on that management port. <paramref name="withCensus"/>: also the session gauges read from PostgreSQL.
    /// </summary>
    public static IServiceCollection AddStreamSpaceMetrics(this IServiceCollection services, bool withCensus)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<StreamSpaceMetrics>();
        services.AddSingleton<JobMetricsFilter>();
        services.AddScoped<SessionCensus>();
        if (withCensus)
        {
            services.AddSingleton<SessionCensusCollector>();
        }

        services.AddHostedService<MetricsExporter>();
        return services;
    }

    /// <summary>Request count, duration and in-progress by endpoint; call after <c>UseRouting</c>.</summary>
    public static IApplicationBuilder UseStreamSpaceHttpMetrics(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var metrics = app.ApplicationServices.GetRequiredService<StreamSpaceMetrics>();
        return app.UseHttpMetrics(options => options.SetMetricFactory(metrics.Factory));
    }

    /// <summary>
    /// <c>/metrics</c> on the application's own port, unless a management port serves it: only to a request bearing
    /// <c>Metrics:ScrapeToken</c>, and not at all without one, because the metrics name every tenant.
    /// </summary>
    public static IEndpointRouteBuilder MapStreamSpaceMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (options.Port is not null || options.ScrapeToken is not { Length: > 0 } token)
        {
            return endpoints;
        }

        var expected = SHA256.HashData(Encoding.UTF8.GetBytes("Bearer " + token));
        endpoints.MapMetrics("/metrics", endpoints.ServiceProvider.GetRequiredService<StreamSpaceMetrics>().Registry)
            .Add(endpoint =>
            {
                var scrape = endpoint.RequestDelegate!;
                endpoint.RequestDelegate = context =>
                {
                    var presented = SHA256.HashData(Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString()));
                    if (CryptographicOperations.FixedTimeEquals(presented, expected))
                    {
                        return scrape(context);
                    }

                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    return Task.CompletedTask;
                };
            });
        return endpoints;
    }
}
