using System.Threading.RateLimiting;
using Hangfire;
using HealthChecks.UI.Client;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using StreamSpace.Domain.Members;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Observability;
using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Web.Api;
using StreamSpace.Web.Catalog;
using StreamSpace.Web.Identity;
using StreamSpace.Web.Platform;
using StreamSpace.Web.Proxies;
using StreamSpace.Web.Sso;
using StreamSpace.Web.Streaming;
using StreamSpace.Web.Tenancy;

namespace StreamSpace.Web;

public static class WebExtensions
{
    public const string TenantAdminPolicy = "tenant-admin";
    public const string PlatformAdminPolicy = "platform-admin";
    public const string SignInRateLimit = "sign-in";

    public static IHostApplicationBuilder AddWeb(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddMemberSignIn();
        services.AddScoped<SignInHandover>();
        services.AddScoped<TenantLinks>();
        services.AddSingleton<CatalogIcons>();
        services.AddStreamGateway();
        services.AddHttpForwarder();
        services.AddStreamSpaceMetrics(withCensus: true);

        services.AddTokenServer();
        services.AddSso();
        services.AddProblemDetails();
        services.AddApiDocuments();
        services.AddOptions<ApiLimits>().BindConfiguration(ApiLimits.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRequestRateLimits();

        services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeFolder("/Catalog");
            options.Conventions.AuthorizeFolder("/Sessions");
            options.Conventions.AuthorizeFolder("/Admin", TenantAdminPolicy);
            options.Conventions.AuthorizeFolder("/Platform", PlatformAdminPolicy);
        });
        services.AddRouting(options => options.LowercaseUrls = true);
        services.AddAntiforgery(options => options.HeaderName = "RequestVerificationToken");
        services.AddProxies();

        services.AddHealthChecks()
            .AddNpgSql(sp => sp.GetRequiredService<IConfiguration>().GetConnectionString(StreamSpaceDbOptions.ConnectionStringName)!, name: "postgresql", tags: ["ready"])
            .AddStreamSpaceReadiness(builder.Configuration);
        return builder;
    }

    public static WebApplication UseWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseProxies();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error/500");
        }

        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseMiddleware<StreamSpace.Web.Availability.DatabaseUnavailable>();
        // Static files after tenant resolution, so /t/{tenant}/lib/… is served too once the prefix became the path base.
        app.UseMiddleware<TenantResolutionMiddleware>();
        app.UseMiddleware<SessionAppProxy>();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseStreamSpaceHttpMetrics();

        // Authentication first: OpenIddict's handlers prepare each request there, and the API's rate limits are per client.
        app.UseAuthentication();
        app.UseMiddleware<ApiRequests>();
        app.UseRateLimiter();
        app.UseMiddleware<TenantMembershipMiddleware>();
        app.UseMiddleware<MemberStandingMiddleware>();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });

        app.MapHealthChecks("/healthz/live", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = UIResponseWriter.WriteHealthCheckUIResponse,
        });
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = UIResponseWriter.WriteHealthCheckUIResponse,
        });
        app.MapStreamSpaceMetrics();
        app.MapRazorPages();
        app.MapTokenEndpoint();
        app.MapSso();
        app.MapApiV1();
        app.MapApiDocuments();
        app.MapSessionStream();
        app.UseHangfireDashboard("/platform/jobs", new DashboardOptions
        {
            Authorization = [new PlatformAdminDashboardFilter()],
            DashboardTitle = "StreamSpace jobs",
            AppPath = "/platform",
        });
        return app;
    }
}
