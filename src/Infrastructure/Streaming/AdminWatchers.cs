using System.Collections.Concurrent;

namespace StreamSpace.Infrastructure.Streaming;

/// <summary>
/// Which sessions a tenant admin is watching read-only through this process, so the member's viewer can say so. In memory,
/// like <see cref="InputActivity"/>: the gateway and the member's status requests are served by the same Web process.
/// </summary>
public sealed class AdminWatchers
{
    private readonly ConcurrentDictionary<Guid, int> _watching = new();

    public void Enter(Guid sessionId) => _watching.AddOrUpdate(sessionId, 1, static (_, count) => count + 1);

    public void Leave(Guid sessionId)
    {
        _watching.AddOrUpdate(sessionId, 0, static (_, count) => Math.Max(count - 1, 0));
        _watching.TryRemove(new KeyValuePair<Guid, int>(sessionId, 0));
    }

    public bool IsWatched(Guid sessionId) => _watching.TryGetValue(sessionId, out var count) && count > 0;
}
