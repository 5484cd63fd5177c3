using System.Collections.Concurrent;

namespace StreamSpace.Infrastructure.Streaming;

/// <summary>
/// In-memory record of when each session last saw keyboard or pointer input and a viewer, kept as the newest value
/// only, so the gateway can note every event cheaply and <see cref="InputActivityFlush"/> writes them in one batch.
/// </summary>
public sealed class InputActivity
{
    private readonly ConcurrentDictionary<Guid, long> _lastInput = new();
    private readonly ConcurrentDictionary<Guid, long> _lastConnection = new();
    private readonly ConcurrentDictionary<Guid, int> _viewers = new();

    public void RecordInput(Guid sessionId, DateTimeOffset at) => KeepNewest(_lastInput, sessionId, at.UtcTicks);

    public void RecordConnection(Guid sessionId, DateTimeOffset at) => KeepNewest(_lastConnection, sessionId, at.UtcTicks);

    public void ViewerConnected(Guid sessionId, DateTimeOffset at)
    {
        _viewers.AddOrUpdate(sessionId, 1, static (_, count) => count + 1);
        RecordConnection(sessionId, at);
    }

    public void ViewerDisconnected(Guid sessionId, DateTimeOffset at)
    {
        _viewers.AddOrUpdate(sessionId, 0, static (_, count) => Math.Max(count - 1, 0));
        _viewers.TryRemove(new KeyValuePair<Guid, int>(sessionId, 0));
        RecordConnection(sessionId, at);
    }

    /// <summary>How many viewers are streaming the session through this process right now.</summary>
    public int ViewerCount(Guid sessionId) => _viewers.TryGetValue(sessionId, out var count) ? count : 0;

    /// <summary>Returns and forgets everything recorded since the last drain.</summary>
    public IReadOnlyList<SessionActivity> Drain()
    {
        var drained = new Dictionary<Guid, (long Input, long Connection)>();
        foreach (var (sessionId, _) in _lastInput)
        {
            if (_lastInput.TryRemove(sessionId, out var ticks))
            {
                drained[sessionId] = (ticks, 0);
            }
        }

        foreach (var (sessionId, _) in _lastConnection)
        {
            if (_lastConnection.TryRemove(sessionId, out var ticks))
            {
                drained[sessionId] = (drained.GetValueOrDefault(sessionId).Input, ticks);
            }
        }

        return drained
            .Select(pair => new SessionActivity(pair.Key, ToTime(pair.Value.Input), ToTime(pair.Value.Connection)))
            .ToList();
    }

    /// <summary>Puts back a drained batch that could not be written, without hiding anything newer.</summary>
    public void Restore(IEnumerable<SessionActivity> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var activity in batch)
        {
            if (activity.LastInputAt is { } input)
            {
                RecordInput(activity.SessionId, input);
            }

            if (activity.LastConnectionAt is { } connection)
            {
                RecordConnection(activity.SessionId, connection);
            }
        }
    }

    private static void KeepNewest(ConcurrentDictionary<Guid, long> newest, Guid sessionId, long ticks)
    {
        while (true)
        {
            if (newest.TryGetValue(sessionId, out var current))
            {
                if (current >= ticks || newest.TryUpdate(sessionId, ticks, current))
                {
                    return;
                }
            }
            else if (newest.TryAdd(sessionId, ticks))
            {
                return;
            }
        }
    }

    private static DateTimeOffset? ToTime(long utcTicks) => utcTicks == 0 ? null : new DateTimeOffset(utcTicks, TimeSpan.Zero);
}
