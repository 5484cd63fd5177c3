using System.Globalization;

namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>
/// What the pid file says about a sandbox: the outer bubblewrap pid, its start time (so a reused pid is not mistaken for
/// the sandbox) and the sandbox's pid namespace (so nothing inside it is missed when stopping).
/// </summary>
internal sealed record SandboxRecord(int Pid, ulong StartTime, string? PidNamespace)
{
    public bool IsAlive => ProcessTable.Read(Pid) is { IsLive: true } entry && entry.StartTime == StartTime;

    public static SandboxRecord? Load(string pidFile)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(pidFile);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        var values = lines
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
        if (!values.TryGetValue("pid", out var pid) || !values.TryGetValue("start", out var start))
        {
            return null;
        }

        return new SandboxRecord(
            int.Parse(pid, CultureInfo.InvariantCulture),
            ulong.Parse(start, CultureInfo.InvariantCulture),
            values.GetValueOrDefault("pidns"));
    }

    public void Save(string pidFile)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"pid={Pid}\nstart={StartTime}\n")
            + (PidNamespace is null ? "" : $"pidns={PidNamespace}\n");
        var temporary = pidFile + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, pidFile, overwrite: true);
    }
}
