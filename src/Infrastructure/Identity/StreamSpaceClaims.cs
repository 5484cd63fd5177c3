namespace StreamSpace.Infrastructure.Identity;

/// <summary>Claim types we add to a member's principal.</summary>
public static class StreamSpaceClaims
{
    public const string TenantId = "tenant_id";
    public const string Tenant = "tenant";
    public const string DisplayName = "display_name";
}
