using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using StreamSpace.Domain.Members;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.ApiClients;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace StreamSpace.Web.Identity;

/// <summary>
/// <c>POST /connect/token</c> after OpenIddict has checked the client and grant: builds the principal a token is issued for.
/// The endpoint is outside any tenant, so the tenant comes from what the client was registered with.
/// </summary>
public static class TokenEndpoint
{
    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(TokenServerExtensions.TokenPath, IssueAsync).DisableAntiforgery().ExcludeFromDescription();
        endpoints.MapGet(TokenServerExtensions.AuthorizePath, AuthorizeEndpoint.AuthorizeAsync).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> IssueAsync(
        HttpContext http, IOpenIddictApplicationManager applications, TenantStore tenants, TenantContext tenantContext, StreamSpaceDb db)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The token request was not handled by OpenIddict.");
        if (request.IsDeviceCodeGrantType() || request.IsRefreshTokenGrantType() || request.IsAuthorizationCodeGrantType())
        {
            return await RenewAsync(http, tenants, tenantContext, db);
        }

        if (!request.IsClientCredentialsGrantType())
        {
            return Refuse(Errors.UnsupportedGrantType, "This grant type is not supported.");
        }

        var application = await applications.FindByClientIdAsync(request.ClientId!, http.RequestAborted);
        if (application is null)
        {
            return Refuse(Errors.InvalidClient, "The client is unknown.");
        }

        var properties = await applications.GetPropertiesAsync(application, http.RequestAborted);
        if (!properties.TryGetValue(TenantApiClients.TenantSlugProperty, out var slug) || !properties.TryGetValue(TenantApiClients.TenantIdProperty, out var tenantId)
            || !properties.TryGetValue(TenantApiClients.MemberIdProperty, out var memberId)
            || await tenants.FindClaimedAsync(slug.GetString(), tenantId.GetString(), http.RequestAborted) is not { } tenant)
        {
            return Refuse(Errors.InvalidClient, "The client belongs to no organisation.");
        }

        tenantContext.Use(tenant);
        var member = await db.Users.AsNoTracking().SingleOrDefaultAsync(m => m.Id == memberId.GetGuid(), http.RequestAborted);
        if (await RefusalAsync(http, memberId.GetGuid()) is { } refusal)
        {
            return Refuse(Errors.InvalidGrant, refusal);
        }

        var permitted = (await applications.GetPermissionsAsync(application, http.RequestAborted))
            .Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
            .Select(p => p[Permissions.Prefixes.Scope.Length..])
            .ToList();
        var scopes = request.GetScopes().IsEmpty ? permitted : [.. request.GetScopes()];

        return SignIn(member!, tenant, scopes);
    }

    /// <summary>A device code the member approved, an authorization code, or a refresh token: issued again for the member as they are now.</summary>
    private static async Task<IResult> RenewAsync(HttpContext http, TenantStore tenants, TenantContext tenantContext, StreamSpaceDb db)
    {
        var approved = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        if (approved is null || await tenants.FindClaimedAsync(approved, http.RequestAborted) is not { } tenant || !Guid.TryParse(approved.GetClaim(Claims.Subject), out var memberId))
        {
            return Refuse(Errors.InvalidGrant, "The grant is no longer valid.");
        }

        tenantContext.Use(tenant);
        var member = await db.Users.AsNoTracking().SingleOrDefaultAsync(m => m.Id == memberId, http.RequestAborted);
        return await RefusalAsync(http, memberId) is { } refusal
            ? Refuse(Errors.InvalidGrant, refusal)
            : SignIn(member!, tenant, [.. approved.GetScopes()]);
    }

    /// <summary>Every token issue checks the member and the organisation as they are now (disabled, suspended, gone).</summary>
    private static Task<string?> RefusalAsync(HttpContext http, Guid memberId) =>
        http.RequestServices.GetRequiredService<MemberStanding>().RefusalAsync(memberId, http.RequestAborted);

    private static IResult SignIn(Member member, Domain.Tenants.Tenant tenant, List<string> scopes) =>
        Results.SignIn(PrincipalFor(member, tenant, scopes), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    /// <summary>The principal every token of a member carries: who, which tenant, which role, which scopes.</summary>
    internal static ClaimsPrincipal PrincipalFor(Member member, Domain.Tenants.Tenant tenant, List<string> scopes)
    {
        // The admin scope follows the member's current role, not the role they had when the client or grant was created.
        if (member.Role != MemberRole.TenantAdmin)
        {
            scopes.Remove(ApiScopes.Admin);
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, member.Id.ToString("D"))
            .SetClaim(Claims.Name, member.Email)
            .SetClaim(Claims.Role, member.Role)
            .SetClaim(StreamSpaceClaims.TenantId, tenant.Id.ToString("D"))
            .SetClaim(StreamSpaceClaims.Tenant, tenant.Slug);
        identity.SetScopes(scopes);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
