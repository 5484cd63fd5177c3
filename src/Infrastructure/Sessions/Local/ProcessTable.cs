using System.Globalization;

namespace StreamSpace.Infrastructure.Sessions.Local;

/// <summary>Reads the kernel's process table from <c>/proc</c>: who is alive, who is whose child, which pid namespace.</summary>
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

    /// <summary>The live processes at and below <paramref name="root"/>, parents before children.</summary>
    public static List<ProcessEntry> Tree(IReadOnlyList<ProcessEntry> snapshot, int root)
    {
        var children = snapshot.ToLookup(entry => entry.ParentPid);
        var tree = new List<ProcessEntry>();
        var queue = new Queue<ProcessEntry>(snapshot.Where(entry => entry.Pid == root));
        while (queue.TryDequeue(out var entry))
        {
            tree.Add(entry);
            foreach (var child in children[entry.Pid])
            {
                queue.Enqueue(child);
            }
        }

        return tree.Where(entry => entry.IsLive).ToList();
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

    public static List<ProcessEntry> InNamespace(IReadOnlyList<ProcessEntry> snapshot, string pidNamespace) =>
        snapshot.Where(entry => entry.IsLive && PidNamespace(entry.Pid) == pidNamespace).ToList();
}
