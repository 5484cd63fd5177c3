using System.Globalization;

namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>Reads the kernel's process table from <c>/proc</c>: who is alive, who is whose child, which pid namespace, which binary.</summary>
internal static class ProcessTable
{
    public static ProcessEntry? Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name is in parentheses and may itself contain spaces or ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = stat[(close + 2)..].Split(' ');
        if (fields.Length < 20)
        {
            return null;
        }

        return new ProcessEntry(
            pid,
            int.Parse(fields[1], CultureInfo.InvariantCulture),
            fields[0][0],
            ulong.Parse(fields[19], CultureInfo.InvariantCulture));
    }

    public static List<ProcessEntry> Snapshot()
    {
        var entries = new List<ProcessEntry>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Read(pid) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    /// <summary>The pid namespace of a process, e.g. <c>pid:[4026532301]</c>; null when it is gone.</summary>
    public static string? PidNamespace(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/ns/pid").LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The binary a process runs, e.g. <c>/usr/bin/bwrap</c>; null when it is gone.</summary>
    public static string? Executable(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/exe").LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The file a path names once every symlink on the way is followed, as <c>/proc/&lt;pid&gt;/exe</c> shows it; a missing
    /// binary stays as named, so its start-time check can say which package to install.
    /// </summary>
    public static string ResolvedPath(string path) =>
        (File.Exists(path) ? File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName : null) ?? Path.GetFullPath(path);
}
