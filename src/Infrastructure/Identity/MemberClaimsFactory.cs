using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Infrastructure.Identity;

/// <summary>Puts the member's tenant and role into the cookie, so every request knows both without a query.</summary>
public sealed class MemberClaimsFactory(
    UserManager<Member> userManager,
    IOptions<IdentityOptions> options,
    TenantContext tenantContext)
    : UserClaimsPrincipalFactory<Member>(userManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(Member user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user);
        var tenant = tenantContext.Tenant
            ?? throw new InvalidOperationException("A member signs in only once their tenant is resolved.");
        identity.AddClaim(new Claim(StreamSpaceClaims.TenantId, user.TenantId.ToString("D", CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim(StreamSpaceClaims.Tenant, tenant.Slug));
        identity.AddClaim(new Claim(StreamSpaceClaims.DisplayName, user.DisplayName));
        identity.AddClaim(new Claim(Options.ClaimsIdentity.RoleClaimType, user.Role));
        return identity;
    }
}
