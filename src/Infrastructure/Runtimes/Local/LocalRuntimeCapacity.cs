using System.Globalization;
using StreamSpace.Domain.Sessions;

namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>The local runtime runs every session on this machine, so its capacity is the machine's memory (<c>MemTotal</c>).</summary>
public sealed class LocalRuntimeCapacity : IRuntimeCapacity
{
    private const string MemInfo = "/proc/meminfo";

    public async Task<RuntimeCapacity> ReadAsync(CancellationToken cancellationToken)
    {
        foreach (var line in await File.ReadAllLinesAsync(MemInfo, cancellationToken))
        {
            // "MemTotal:       24578316 kB"
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is ["MemTotal:", var kilobytes, "kB"] && long.TryParse(kilobytes, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return new RuntimeCapacity(value * 1024, $"this machine's memory ({MemInfo})");
            }
        }

        throw new InvalidOperationException($"{MemInfo} has no MemTotal line.");
    }
}
