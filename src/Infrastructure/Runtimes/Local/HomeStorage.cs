using System.Globalization;

namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>
/// How much of the tier's home storage a member's home uses, counted as root without following the member's symlinks.
/// Without a filesystem quota nothing stops writes while a session runs; a home over its size refuses the next launch.
/// </summary>
internal static class HomeStorage
{
    // What one file or directory takes on disk at least; counting blocks, not lengths, so a million empty files are not free.
    private const long BlockSize = 4096;

    private static readonly EnumerationOptions Everything = new()
    {
        RecurseSubdirectories = true,
        // Symlinks are skipped, never followed: a link to / must not make root walk the host.
        AttributesToSkip = FileAttributes.ReparsePoint,
        IgnoreInaccessible = true,
        ReturnSpecialDirectories = false,
    };

    /// <summary>The bytes the home takes: every file rounded up to whole blocks, plus a block per directory.</summary>
    public static long UsedBytes(string home)
    {
        if (!Directory.Exists(home))
        {
            return 0;
        }

        long used = BlockSize;
        foreach (var entry in new DirectoryInfo(home).EnumerateFileSystemInfos("*", Everything))
        {
            used += entry is FileInfo file ? (file.Length + BlockSize - 1) / BlockSize * BlockSize : BlockSize;
        }

        return used;
    }

    /// <summary>Refuses the launch, saying the limit and by how much the home is over it.</summary>
    public static void EnsureWithin(string home, long limitBytes)
    {
        if (limitBytes <= 0)
        {
            return;
        }

        var used = UsedBytes(home);
        if (used > limitBytes)
        {
            throw new SandboxStartException(
                $"The home directory uses {Format(used)}, {Format(used - limitBytes)} over the {Format(limitBytes)} the tier allows; "
                + "free space in it or raise the member's storage before starting a session.");
        }
    }

    /// <summary>Notes the home and its limit in the run directory, for the check when the session stops.</summary>
    public static void Remember(SessionLayout layout, string home, long limitBytes)
    {
        if (limitBytes > 0)
        {
            File.WriteAllText(layout.HomeStorageFile, string.Create(CultureInfo.InvariantCulture, $"{limitBytes}\n{home}\n"));
        }
    }

    /// <summary>Whether the home of a stopping session has grown over its limit; says by how much, or null when it has not.</summary>
    public static string? CheckRemembered(SessionLayout layout)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(layout.HomeStorageFile);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        if (lines.Length < 2 || !long.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
        {
            return null;
        }

        var used = UsedBytes(lines[1]);
        return used > limit ? $"{Format(used)}, {Format(used - limit)} over its {Format(limit)}" : null;
    }

    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.##} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.##} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0.##} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}
