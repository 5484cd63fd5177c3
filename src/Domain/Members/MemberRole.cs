namespace StreamSpace.Domain.Members;

/// <summary>The role names as they appear in claims, YAML and the admin pages.</summary>
public static class MemberRole
{
    public const string User = "user";
    public const string TenantAdmin = "tenant-admin";

    /// <summary>Operators of the whole installation; members of the reserved <c>platform</c> tenant.</summary>
    public const string PlatformAdmin = "platform-admin";

    public static bool IsKnown(string role) => role is User or TenantAdmin or PlatformAdmin;
}
