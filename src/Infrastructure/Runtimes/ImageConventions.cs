using System.Globalization;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Features.Catalog;

namespace StreamSpace.Infrastructure.Runtimes;

/// <summary>
/// What every runtime that runs a template's image agrees on, whether on Kubernetes or under Docker/Podman: where the
/// image keeps its home, which capabilities its kind needs, and the variables the runtime (never the template) sets.
/// </summary>
public static class ImageConventions
{
    public const string VncPasswordVariable = "VNC_PASSWORD";
    public const string LinuxServerHome = "/config";
    public const string DefaultHome = "/home/app";

    /// <summary>
    /// s6-overlay in LinuxServer.io images starts as root, fixes the ownership of <c>/config</c> and drops to PUID: these
    /// are the capabilities it needs. Any other image runs as the member's uid with none.
    /// </summary>
    public static readonly IReadOnlyList<string> LinuxServerCapabilities = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"];

    /// <summary>LinuxServer.io images (lscr.io, Docker Hub or GHCR) keep their state in <c>/config</c> and start as root.</summary>
    public static bool IsLinuxServerImage(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.StartsWith("lscr.io/linuxserver/", StringComparison.Ordinal)
            || image.StartsWith("linuxserver/", StringComparison.Ordinal)
            || image.StartsWith("docker.io/linuxserver/", StringComparison.Ordinal)
            || image.StartsWith("ghcr.io/linuxserver/", StringComparison.Ordinal);
    }

    public static string HomeMountPath(string image) => IsLinuxServerImage(image) ? LinuxServerHome : DefaultHome;

    /// <summary>
    /// The container's environment: the template's variables without those the runtime owns, then the runtime's own —
    /// <c>PUID</c>/<c>PGID</c> as <paramref name="uid"/>, the Selkies clipboard switches from the tier and a default
    /// <c>TZ</c> for LinuxServer.io images. The VNC password
    /// is not here: each runtime passes it its own way (a Secret, a file).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Environment(SessionSpec spec, long uid)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var env = spec.Environment
            .Where(pair => !RuntimeVariables.IsRuntimeOwned(pair.Key) && pair.Key != VncPasswordVariable)
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .ToList();
        var id = uid.ToString(CultureInfo.InvariantCulture);
        if (IsLinuxServerImage(spec.Image))
        {
            env.Add(new(RuntimeVariables.UserId, id));
            env.Add(new(RuntimeVariables.GroupId, id));
            env.Add(new(RuntimeVariables.SelkiesClipboardIn, spec.ClipboardIn ? "true" : "false"));
            env.Add(new(RuntimeVariables.SelkiesClipboardOut, spec.ClipboardOut ? "true" : "false"));
            if (!env.Exists(pair => pair.Key == "TZ"))
            {
                env.Add(new("TZ", "Etc/UTC"));
            }
        }

        return env;
    }
}
