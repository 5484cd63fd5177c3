namespace StreamSpace.Infrastructure.Streaming;

/// <summary>
/// How many long-lived streams each holder (a member's viewer WebSockets, an API token's event streams) has open in this
/// process, so one holder cannot pile up sockets, buffers and database polls without bound.
/// </summary>
public sealed class OpenStreams
{
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>A lease to dispose when the stream ends, or null when <paramref name="holder"/> already has <paramref name="limit"/> open.</summary>
    public IDisposable? TryOpen(string holder, int limit)
    {
        lock (_open)
        {
            var open = _open.GetValueOrDefault(holder);
            if (open >= limit)
            {
                return null;
            }

            _open[holder] = open + 1;
        }

        return new Lease(this, holder);
    }

    public int CountOf(string holder)
    {
        lock (_open)
        {
            return _open.GetValueOrDefault(holder);
        }
    }

    private void Close(string holder)
    {
        lock (_open)
        {
            if (_open.TryGetValue(holder, out var open) && open > 1)
            {
                _open[holder] = open - 1;
            }
            else
            {
                _open.Remove(holder);
            }
        }
    }

    private sealed class Lease(OpenStreams streams, string holder) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                streams.Close(holder);
            }
        }
    }
}
