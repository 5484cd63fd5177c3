using System.Diagnostics;
using System.Globalization;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>What the host's /proc and cgroup files say about a sandbox, read independently of the runtime.</summary>
internal static class LimitsProbe
{
    private const double ClockTicksPerSecond = 100;

    /// <summary>Tasks (processes and their threads) running as <paramref name="uid"/>: what a pids limit counts.</summary>
    public static int TasksOf(int uid) => StatusesOf(uid).Sum(status => Field(status, "Threads:"));

    /// <summary>User plus system CPU seconds used so far by the live processes of <paramref name="uid"/>.</summary>
    public static double CpuSecondsOf(int uid)
    {
        var ticks = 0L;
        foreach (var pid in Pids())
        {
            var status = Read($"/proc/{pid}/status");
            var stat = Read($"/proc/{pid}/stat");
            if (status is null || stat is null || UidOf(status) != uid)
            {
                continue;
            }

            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }

        return ticks / ClockTicksPerSecond;
    }

    /// <summary>A control file of the cgroup <paramref name="pid"/> is in, for <paramref name="controller"/> (v1) or the v2 hierarchy.</summary>
    public static string? CgroupFile(int pid, string controller, string file)
    {
        var lines = Read($"/proc/{pid}/cgroup")?.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? [];
        string? directory;
        if (File.Exists("/sys/fs/cgroup/cgroup.controllers"))
        {
            directory = lines.Select(line => line.Split(':', 3)).Where(parts => parts[0] == "0").Select(parts => "/sys/fs/cgroup" + parts[2]).FirstOrDefault();
        }
        else
        {
            directory = lines.Select(line => line.Split(':', 3))
                .Where(parts => parts[1].Split(',').Contains(controller))
                .Select(parts => $"/sys/fs/cgroup/{controller}{parts[2]}")
                .FirstOrDefault();
        }

        return directory is null ? null : Read(Path.Combine(directory, file))?.Trim();
    }

    /// <summary>Runs <paramref name="command"/> as <paramref name="uid"/> with <paramref name="gid"/> as its only group.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsAsync(int uid, int gid, params string[] command)
    {
        var startInfo = new ProcessStartInfo("/usr/bin/setpriv") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[$"--reuid={uid}", $"--regid={gid}", "--clear-groups", "--", .. command])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Compiles a small C program with the host's <c>cc</c> into <paramref name="directory"/>.</summary>
    public static async Task<string> CompileAsync(string source, string directory, string name)
    {
        var sourceFile = Path.Combine(directory, name + ".c");
        var binary = Path.Combine(directory, name);
        await File.WriteAllTextAsync(sourceFile, source);
        using var cc = Process.Start(new ProcessStartInfo("cc", ["-O2", "-o", binary, sourceFile]) { RedirectStandardError = true })!;
        var error = await cc.StandardError.ReadToEndAsync();
        await cc.WaitForExitAsync();
        Assert.True(cc.ExitCode == 0, $"cc failed: {error}");
        return binary;
    }

    private static IEnumerable<string> StatusesOf(int uid) =>
        Pids().Select(pid => Read($"/proc/{pid}/status")).OfType<string>().Where(status => UidOf(status) == uid && !status.Contains("zombie", StringComparison.Ordinal));

    private static int UidOf(string status) => Field(status, "Uid:");

    private static int Field(string status, string name) =>
        status.Split('\n').Where(line => line.StartsWith(name, StringComparison.Ordinal))
            .Select(line => int.Parse(line[name.Length..].Split('\t', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture))
            .FirstOrDefault(-1);

    private static IEnumerable<int> Pids() =>
        Directory.EnumerateDirectories("/proc")
            .Select(directory => int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
