using System.Globalization;

namespace StreamSpace.Tests.Support;

/// <summary>What the host's /proc says, independently of the runtime's own bookkeeping.</summary>
public static class HostProcesses
{
    public static List<int> OwnedBy(int uid)
    {
        var pids = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var status = File.ReadAllLines(Path.Combine(directory, "status"));
                var state = status.FirstOrDefault(line => line.StartsWith("State:", StringComparison.Ordinal));
                var uidLine = status.FirstOrDefault(line => line.StartsWith("Uid:", StringComparison.Ordinal));
                if (uidLine is not null && state is not null && !state.Contains("zombie", StringComparison.Ordinal)
                    && int.Parse(uidLine.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) == uid)
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process exited while we looked.
            }
        }

        return pids;
    }

    public static List<string> NamesOwnedBy(int uid) =>
        OwnedBy(uid).Select(pid => TryRead($"/proc/{pid}/comm")?.Trim()).OfType<string>().ToList();

    public static int RecordedPid(string runDirectory, string pidFile = "sandbox.pid") =>
        int.Parse(
            File.ReadAllLines(Path.Combine(runDirectory, pidFile)).Single(line => line.StartsWith("pid=", StringComparison.Ordinal))[4..],
            CultureInfo.InvariantCulture);

    public static bool IsRunning(int pid) =>
        TryRead($"/proc/{pid}/stat") is { } stat && stat[(stat.LastIndexOf(')') + 2)..][0] is not 'Z';

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
