using System.Globalization;

namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>
/// The cgroup one sandbox runs in: the session's memory (no swap), its CPU as a CFS quota and a pids limit. On a cgroup v2 host
/// it is one directory; on a v1 or hybrid host (v1 controllers, a v2 <c>unified</c> hierarchy without them) one directory per
/// controller. The sandbox's first process joins it before it execs bubblewrap, so everything the session ever starts is
/// inside, and <c>cgroup.procs</c> lists exactly the processes proven to belong to the sandbox.
/// </summary>
internal sealed class SandboxCgroup
{
    public const string Unavailable =
        "This host has no usable cgroup hierarchy with the memory, cpu and pids controllers (cgroup v2, or v1 controllers "
        + "mounted under /sys/fs/cgroup); mount them, or set Runtime:Local:EnforceResourceLimits=false to run sessions without limits.";

    private const int CfsPeriodMicroseconds = 100_000;
    private static readonly string[] UnifiedControllers = ["memory", "cpu", "pids"];
    private static readonly string[] LegacyControllers = ["memory", "cpu", "pids", "freezer"];
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    private readonly bool _unified;
    private readonly Dictionary<string, string> _directories;

    private SandboxCgroup(bool unified, Dictionary<string, string> directories)
    {
        _unified = unified;
        _directories = directories;
    }

    /// <summary>The sandbox's cgroup directories, by controller (one entry, keyed <c>""</c>, on cgroup v2).</summary>
    public IReadOnlyDictionary<string, string> Directories => _directories;

    /// <summary>The files the sandbox's first process writes its pid to, one per hierarchy.</summary>
    public IEnumerable<string> ProcsFiles => _directories.Values.Select(directory => Path.Combine(directory, "cgroup.procs"));

    /// <summary>
    /// Where the cgroup of <paramref name="sessionId"/> lives under <paramref name="parent"/> (absolute in the hierarchy, or
    /// relative to this process's own cgroup); null when the host has no usable hierarchy.
    /// </summary>
    public static SandboxCgroup? Locate(Guid sessionId, string parent)
    {
        var mounts = CgroupMounts();
        var own = OwnCgroups();
        var name = "streamspace-" + sessionId.ToString("D");
        if (mounts.Unified is { } unified && UnifiedControllers.All(Controllers(unified).Contains))
        {
            return new SandboxCgroup(true, new() { [""] = Under(unified, own.GetValueOrDefault("", "/"), parent, name) });
        }

        var directories = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var controller in LegacyControllers)
        {
            if (!mounts.Legacy.TryGetValue(controller, out var mount))
            {
                return null;
            }

            directories[controller] = Under(mount, own.GetValueOrDefault(controller, "/"), parent, name);
        }

        return new SandboxCgroup(false, directories);
    }

    /// <summary>Creates the cgroup with its limits; a limit of 0 or less leaves that resource unlimited.</summary>
    public void Create(long memoryBytes, int cpuMillicores, int pidsLimit)
    {
        var memory = memoryBytes > 0 ? memoryBytes.ToString(CultureInfo.InvariantCulture) : null;
        var quota = cpuMillicores > 0 ? (cpuMillicores * (CfsPeriodMicroseconds / 1000)).ToString(CultureInfo.InvariantCulture) : null;
        var pids = pidsLimit.ToString(CultureInfo.InvariantCulture);
        try
        {
            if (_unified)
            {
                var directory = _directories[""];
                EnableControllers(directory);
                Directory.CreateDirectory(directory);
                Write(directory, "pids.max", pids);
                Write(directory, "memory.max", memory ?? "max");
                WriteIfPresent(directory, "memory.swap.max", "0");
                Write(directory, "cpu.max", $"{quota ?? "max"} {CfsPeriodMicroseconds}");
                return;
            }

            foreach (var directory in _directories.Values)
            {
                Directory.CreateDirectory(directory);
            }

            Write(_directories["pids"], "pids.max", pids);
            if (memory is not null)
            {
                // memsw (memory + swap) may not be lower than the memory limit, so it goes second.
                Write(_directories["memory"], "memory.limit_in_bytes", memory);
                WriteIfPresent(_directories["memory"], "memory.memsw.limit_in_bytes", memory);
            }

            Write(_directories["cpu"], "cpu.cfs_period_us", CfsPeriodMicroseconds.ToString(CultureInfo.InvariantCulture));
            Write(_directories["cpu"], "cpu.cfs_quota_us", quota ?? "-1");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SandboxStartException(
                $"Cannot set up the session's cgroup ({ex.Message}); check Runtime:Local:CgroupParent, or set Runtime:Local:EnforceResourceLimits=false to run sessions without limits.",
                ex);
        }
    }

    /// <summary>The processes in the cgroup: every process the sandbox started and nothing else.</summary>
    public List<int> Processes() =>
        ProcsFiles
            .SelectMany(ReadLines)
            .Select(line => int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Distinct()
            .ToList();

    /// <summary>SIGKILL to everything in the cgroup, frozen first so that a fork bomb cannot outrun the signals.</summary>
    public async Task KillAllAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (Processes() is { Count: > 0 } processes)
        {
            if (time.GetUtcNow() > deadline)
            {
                throw new InvalidOperationException($"Processes {string.Join(", ", processes)} are still in cgroup {_directories.Values.First()} after SIGKILL.");
            }

            if (_unified && File.Exists(Path.Combine(_directories[""], "cgroup.kill")))
            {
                Write(_directories[""], "cgroup.kill", "1");
            }
            else
            {
                Freeze(true);
                foreach (var pid in Processes())
                {
                    _ = LibC.Kill(pid, LibC.SigKill);
                }

                Freeze(false);
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    /// <summary>Kills what is still inside and removes the cgroup; harmless when it does not exist.</summary>
    public async Task RemoveAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken = default)
    {
        if (!_directories.Values.Any(Directory.Exists))
        {
            return;
        }

        await KillAllAsync(timeout, time, cancellationToken);
        foreach (var directory in _directories.Values.Where(Directory.Exists))
        {
            // rmdir, not a recursive delete: a cgroup's control files cannot be deleted, only the empty cgroup.
            Directory.Delete(directory);
        }
    }

    private void Freeze(bool frozen)
    {
        if (_unified)
        {
            Write(_directories[""], "cgroup.freeze", frozen ? "1" : "0");
        }
        else
        {
            Write(_directories["freezer"], "freezer.state", frozen ? "FROZEN" : "THAWED");
        }
    }

    /// <summary>cgroup v2 hands a controller down only through every ancestor's <c>cgroup.subtree_control</c>.</summary>
    private static void EnableControllers(string directory)
    {
        var mount = CgroupMounts().Unified!;
        var relative = Path.GetRelativePath(mount, Path.GetDirectoryName(directory)!);
        var current = mount;
        foreach (var segment in relative == "." ? Array.Empty<string>() : relative.Split('/'))
        {
            EnableIn(current);
            current = Path.Combine(current, segment);
            Directory.CreateDirectory(current);
        }

        EnableIn(current);
    }

    private static void EnableIn(string directory)
    {
        var enabled = Controllers(directory, "cgroup.subtree_control");
        var missing = UnifiedControllers.Where(controller => !enabled.Contains(controller)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        try
        {
            Write(directory, "cgroup.subtree_control", string.Join(' ', missing.Select(controller => "+" + controller)));
        }
        catch (IOException ex)
        {
            // The v2 "no internal processes" rule: a cgroup holding processes cannot hand controllers to children.
            throw new IOException(
                $"cannot enable {string.Join(", ", missing)} in {directory}, which probably holds processes of its own; point CgroupParent at an absolute cgroup with none",
                ex);
        }
    }

    private static string Under(string mount, string own, string parent, string name)
    {
        var parentPath = parent.StartsWith('/') ? parent : own.TrimEnd('/') + "/" + parent;
        return Path.Combine(mount, parentPath.Trim('/'), name);
    }

    private static HashSet<string> Controllers(string directory, string file = "cgroup.controllers") =>
        ReadLines(Path.Combine(directory, file)).SelectMany(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Where each hierarchy is mounted, from <c>/proc/self/mountinfo</c>.</summary>
    private static (string? Unified, Dictionary<string, string> Legacy) CgroupMounts()
    {
        string? unified = null;
        var legacy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in ReadLines("/proc/self/mountinfo"))
        {
            // "<id> <parent> <dev> <root> <mount point> <options> [optional…] - <type> <source> <super options>"
            var halves = line.Split(" - ", 2);
            if (halves.Length != 2)
            {
                continue;
            }

            var left = halves[0].Split(' ');
            var right = halves[1].Split(' ');
            if (left.Length < 5 || right.Length < 3)
            {
                continue;
            }

            var mountPoint = left[4].Replace("\\040", " ", StringComparison.Ordinal);
            if (right[0] == "cgroup2")
            {
                unified ??= mountPoint;
            }
            else if (right[0] == "cgroup")
            {
                foreach (var option in right[2].Split(','))
                {
                    legacy.TryAdd(option, mountPoint);
                }
            }
        }

        return (unified, legacy);
    }

    /// <summary>This process's cgroup in each hierarchy, from <c>/proc/self/cgroup</c> (v2 under <c>""</c>).</summary>
    private static Dictionary<string, string> OwnCgroups()
    {
        var own = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in ReadLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            foreach (var controller in parts[1].Split(','))
            {
                own.TryAdd(controller, parts[2]);
            }
        }

        return own;
    }

    private static void Write(string directory, string file, string value) => File.WriteAllText(Path.Combine(directory, file), value);

    private static void WriteIfPresent(string directory, string file, string value)
    {
        if (File.Exists(Path.Combine(directory, file)))
        {
            Write(directory, file, value);
        }
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
    }
}
