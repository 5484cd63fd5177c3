using System.Globalization;
using System.Text.Json;

namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>
/// What bubblewrap itself reports through <c>--info-fd</c> once it has cloned the sandbox: the pid (in our namespace) of the
/// process it started and the ids of the namespaces that process lives in. Written by bubblewrap, never by anything inside.
/// </summary>
internal sealed record SandboxInfo(int ChildPid, string PidNamespace, string? NetworkNamespace)
{
    /// <summary>The parsed file, or null while bubblewrap has not finished writing it.</summary>
    public static SandboxInfo? TryRead(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (!root.TryGetProperty("child-pid", out var pid) || !root.TryGetProperty("pid-namespace", out var pidNamespace))
            {
                return null;
            }

            return new SandboxInfo(
                pid.GetInt32(),
                Namespace("pid", pidNamespace.GetUInt64()),
                root.TryGetProperty("net-namespace", out var net) ? Namespace("net", net.GetUInt64()) : null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The form <c>/proc/&lt;pid&gt;/ns/&lt;kind&gt;</c> links to, e.g. <c>pid:[4026532301]</c>.</summary>
    private static string Namespace(string kind, ulong id) => string.Create(CultureInfo.InvariantCulture, $"{kind}:[{id}]");
}
