using Microsoft.AspNetCore.Identity;
using StreamSpace.Domain.Members;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Web.Api;
using StreamSpace.Web.Tenancy;

namespace StreamSpace.Web.Identity;

public static class MemberSignInExtensions
{
    /// <summary>
    /// How members sign in to the portal: ASP.NET Core Identity over our members (password rules, lockout), the portal's
    /// cookie (a suspended organisation's cookies stop working, htmx requests get an htmx redirect, a forbidden page is a
    /// 403) and the role policies of the admin and platform pages.
    /// </summary>
    public static IServiceCollection AddMemberSignIn(this IServiceCollection services)
    {
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
            .AddPolicy(WebExtensions.TenantAdminPolicy, policy => policy.RequireRole(MemberRole.TenantAdmin))
            .AddPolicy(WebExtensions.PlatformAdminPolicy, policy => policy.RequireRole(MemberRole.PlatformAdmin))
            .AddApiPolicies();
        return services;
    }
}
