using Microsoft.AspNetCore.Authorization;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using StreamSpace.Domain.Members;
using StreamSpace.Infrastructure.Identity;

namespace StreamSpace.Web.Api;

/// <summary>Authorization policies of the REST API: a bearer token with a scope (and, for admin, a tenant admin behind it).</summary>
public static class ApiPolicies
{
    public const string Sessions = "api:" + ApiScopes.Sessions;
    public const string Templates = "api:" + ApiScopes.Templates;
    public const string Admin = "api:" + ApiScopes.Admin;

    public static AuthorizationBuilder AddApiPolicies(this AuthorizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .AddPolicy(Sessions, policy => Scoped(policy, ApiScopes.Sessions))
            .AddPolicy(Templates, policy => Scoped(policy, ApiScopes.Templates))
            .AddPolicy(Admin, policy => Scoped(policy, ApiScopes.Admin).RequireRole(MemberRole.TenantAdmin));
    }

    private static AuthorizationPolicyBuilder Scoped(AuthorizationPolicyBuilder policy, string scope) =>
        policy
            .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.HasScope(scope));
}
