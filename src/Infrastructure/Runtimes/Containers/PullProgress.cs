using System.Collections.Concurrent;
using Docker.DotNet.Models;
using StreamSpace.Domain.Common;

namespace StreamSpace.Infrastructure.Runtimes.Containers;

/// <summary>
/// Turns the engine's pull messages (one per layer and step) into one line a member can read — "Pulling firefox: 3 of 7
/// layers, 120Mi of 800Mi" — at most once per interval, and keeps the engine's error and last words for a failure reason.
/// </summary>
internal sealed class PullProgress(string image, IProgress<string> progress, TimeProvider time, TimeSpan interval) : IProgress<JSONMessage>
{
    private readonly ConcurrentDictionary<string, (long Current, long Total, bool Done)> _layers = new(StringComparer.Ordinal);
    private DateTimeOffset _lastReport = DateTimeOffset.MinValue;
    private string? _lastStatus;

    /// <summary>The error the engine reported in the stream, if any.</summary>
    public string? Error { get; private set; }

    /// <summary>", last: <status>" for a message about a pull that ended without an error of its own.</summary>
    public string LastWords => _lastStatus is null ? string.Empty : $" (last: {_lastStatus})";

    public void Report(JSONMessage value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Error is { Message.Length: > 0 } error)
        {
            Error = error.Message;
            return;
        }

        _lastStatus = value.Status;
        if (!string.IsNullOrEmpty(value.ID) && value.Status is not null)
        {
            var done = value.Status.StartsWith("Pull complete", StringComparison.OrdinalIgnoreCase)
                || value.Status.StartsWith("Already exists", StringComparison.OrdinalIgnoreCase)
                || value.Status.StartsWith("Download complete", StringComparison.OrdinalIgnoreCase);
            _layers.AddOrUpdate(
                value.ID,
                _ => (value.Progress?.Current ?? 0, value.Progress?.Total ?? 0, done),
                (_, old) => (value.Progress?.Current ?? old.Current, Math.Max(value.Progress?.Total ?? 0, old.Total), done || old.Done));
        }

        var now = time.GetUtcNow();
        if (now - _lastReport >= interval)
        {
            _lastReport = now;
            progress.Report(Describe());
        }
    }

    public string Describe()
    {
        var name = image.Split('/')[^1];
        var layers = _layers.Values.ToList();
        if (layers.Count == 0)
        {
            return $"Pulling {name}…";
        }

        var total = layers.Sum(l => l.Total);
        var current = layers.Sum(l => l.Done ? l.Total : l.Current);
        var bytes = total > 0 ? $", {Quantity.FormatBytes(current)} of {Quantity.FormatBytes(total)}" : string.Empty;
        return $"Pulling {name}: {layers.Count(l => l.Done)} of {layers.Count} layers{bytes}";
    }
}
