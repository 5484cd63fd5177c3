namespace StreamSpace.Infrastructure.Identity;

/// <summary>The scopes a token for the REST API can carry; API clients and the CLI ask for some of them.</summary>
public static class ApiScopes
{
    /// <summary>Launch, list and control the member's own sessions.</summary>
    public const string Sessions = "sessions";

    /// <summary>Read the catalog.</summary>
    public const string Templates = "templates";

    /// <summary>Read members, tiers and usage of the organisation; granted only to tenant admins.</summary>
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Sessions, Templates, Admin];

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);
}
