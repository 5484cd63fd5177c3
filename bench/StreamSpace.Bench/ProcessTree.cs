using System.Globalization;

namespace StreamSpace.Bench;

/// <summary>
/// CPU and memory of a process and all its descendants, read from <c>/proc</c>. websockify forks a process per
/// connection, so only the whole tree is a fair account of what a proxy costs.
/// </summary>
internal static class ProcessTree
{
    private const double TicksPerSecond = 100;

    /// <summary>
    /// CPU seconds used so far: user + system time of every living process in the tree, plus what its members have
    /// collected from children they already reaped (cutime, cstime), so a connection's process that ended still counts.
    /// </summary>
    public static double CpuSeconds(int rootPid)
    {
        long ticks = 0;
        foreach (var pid in Members(rootPid))
        {
            if (ReadStat(pid) is { } stat)
            {
                ticks += stat.Ticks;
            }
        }

        return ticks / TicksPerSecond;
    }

    /// <summary>Resident memory of the tree in bytes: the sum of VmRSS (counts pages shared after fork once per process) and of Pss (shares them out).</summary>
    public static (long Rss, long Pss) Memory(int rootPid)
    {
        long rss = 0;
        long pss = 0;
        foreach (var pid in Members(rootPid))
        {
            rss += ReadKilobytes($"/proc/{pid}/status", "VmRSS:") * 1024;
            pss += ReadKilobytes($"/proc/{pid}/smaps_rollup", "Pss:") * 1024;
        }

        return (rss, pss);
    }

    /// <summary>How many descendants (not counting the root) are alive or not yet reaped.</summary>
    public static int DescendantCount(int rootPid) => Members(rootPid).Count - 1;

    public static List<int> Members(int rootPid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(System.IO.Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ReadStat(pid) is { } stat)
            {
                if (!children.TryGetValue(stat.ParentPid, out var list))
                {
                    children[stat.ParentPid] = list = [];
                }

                list.Add(pid);
            }
        }

        var members = new List<int> { rootPid };
        for (var i = 0; i < members.Count; i++)
        {
            if (children.TryGetValue(members[i], out var list))
            {
                members.AddRange(list);
            }
        }

        return members;
    }

    /// <summary>The parent and utime + stime + cutime + cstime, in clock ticks.</summary>
    private static (int ParentPid, long Ticks)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name is in parentheses and may contain spaces; the numbered fields start after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = 0L;
        for (var field = 11; field <= 14; field++)
        {
            ticks += long.Parse(fields[field], CultureInfo.InvariantCulture);
        }

        return (int.Parse(fields[1], CultureInfo.InvariantCulture), ticks);
    }

    private static long ReadKilobytes(string path, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended between listing and reading: it holds no memory any more.
        }

        return 0;
    }
}
