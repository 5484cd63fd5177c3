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

        services.AddOptions<SignInLimits>().BindConfiguration(SignInLimits.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddIdentityCore<Member>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 10;
                options.Password.RequiredUniqueChars = 4;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddSignInManager()
            .AddEntityFrameworkStores<StreamSpaceDb>()
            .AddClaimsPrincipalFactory<MemberClaimsFactory>()
            .AddDefaultTokenProviders();
        services.AddScoped<SignInHandover>();
        services.AddScoped<TenantLinks>();
        services.AddSingleton<CatalogIcons>();
        services.AddStreamGateway();
        services.AddHttpForwarder();
        services.AddStreamSpaceMetrics(withCensus: true);

        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = "streamspace";
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.LoginPath = "/login";
            options.LogoutPath = "/logout";
            options.AccessDeniedPath = "/error/403";
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromHours(12);

            // Identity's security-stamp check first, then a suspended organisation's cookies stop working.
            options.Events.OnValidatePrincipal = SuspendedTenantCookies.After(options.Events.OnValidatePrincipal);

            options.Events.OnRedirectToLogin = HtmxSignIn.RedirectToLogin(options.Events.OnRedirectToLogin);

            // A signed-in member who may not see a page gets a plain 403 page, not a redirect to one.
            options.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(TenantAdminPolicy, policy => policy.RequireRole(MemberRole.TenantAdmin))
            .AddPolicy(PlatformAdminPolicy, policy => policy.RequireRole(MemberRole.PlatformAdmin))
            .AddApiPolicies();
        services.AddTokenServer();
        services.AddSso();
        services.AddProblemDetails();
        services.AddApiDocuments();
        services.AddOptions<ApiLimits>().BindConfiguration(ApiLimits.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(SignInRateLimit, context =>
            {
                if (!HttpMethods.IsPost(context.Request.Method))
                {
                    return RateLimitPartition.GetNoLimiter("read");
                }

                var limits = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<SignInLimits>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.AttemptsPerMinute, Window = TimeSpan.FromMinutes(1) });
            });
            options.AddPolicy(ApiEndpoints.RateLimit, context =>
            {
                var limits = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiLimits>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.User.ClientId() is { } client ? "client:" + client : "ip:" + context.Connection.RemoteIpAddress,
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.RequestsPerMinute, Window = TimeSpan.FromMinutes(1) });
            });
            options.OnRejected = async (context, cancellationToken) =>
            {
                if (context.HttpContext.Request.Path.StartsWithSegments(ApiRequests.Prefix))
                {
                    // ApiRequests writes the problem details on the way out.
                    return;
                }

                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync("Too many sign-in attempts from your address; wait a minute and try again.", cancellationToken);
            };
        });

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
