namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>
/// Environment variables the runtime sets itself and a template may not: the user and group LinuxServer images drop to
/// (<c>PUID=0</c> would run the app as root with the capabilities s6-overlay gets back), and baseimage-selkies' clipboard
/// switches, which the runtime sets from the member's tier (a template turning them on would undo the tier's rule at its
/// source; the app proxy polices the clipboard messages either way).
/// </summary>
public static class RuntimeVariables
{
    public const string UserId = "PUID";
    public const string GroupId = "PGID";
    public const string SelkiesClipboardIn = "SELKIES_CLIPBOARD_IN_ENABLED";
    public const string SelkiesClipboardOut = "SELKIES_CLIPBOARD_OUT_ENABLED";

    public static bool IsRuntimeOwned(string name) => name is UserId or GroupId or SelkiesClipboardIn or SelkiesClipboardOut;

    /// <summary>Why a template may not set <paramref name="name"/> (one of the runtime-owned variables).</summary>
    public static string WhyOwned(string name) => name is UserId or GroupId
        ? "the runtime sets the user and group the session runs as"
        : "the runtime sets the clipboard switches from the member's tier";
}
