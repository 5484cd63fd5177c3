namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>
/// Environment variables the runtime sets itself and a template may not: the user and group LinuxServer images drop to
/// (<c>PUID=0</c> would run the app as root with the capabilities s6-overlay gets back).
/// </summary>
public static class RuntimeVariables
{
    public const string UserId = "PUID";
    public const string GroupId = "PGID";

    public static bool IsRuntimeOwned(string name) => name is UserId or GroupId;
}
