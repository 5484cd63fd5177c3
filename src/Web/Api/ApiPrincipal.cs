using System.Security.Claims;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace StreamSpace.Web.Api;

/// <summary>Who a bearer token speaks for.</summary>
public static class ApiPrincipal
{
    public static Guid MemberId(this ClaimsPrincipal user) =>
        Guid.Parse(user.GetClaim(Claims.Subject) ?? throw new InvalidOperationException("An API token always names its member."));

    /// <summary>The client a token was issued to, for per-client rate limits.</summary>
    public static string? ClientId(this ClaimsPrincipal user) =>
        user.GetClaim(Claims.ClientId) ?? user.GetPresenters().FirstOrDefault();
}
