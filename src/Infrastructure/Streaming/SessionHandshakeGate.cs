namespace StreamSpace.Infrastructure.Streaming;

/// <summary>
/// Lets one gateway connection at a time authenticate to the same session endpoint. TigerVNC black-marks an address
/// for every connection that has not yet authenticated and blocks it at five; over a unix socket every viewer shares
/// one address, so a burst of simultaneous viewers would lock the whole session out for seconds. One gate per endpoint,
/// never shared: a member whose server stalls its own handshake only makes their own viewers wait.
/// </summary>
internal sealed class SessionHandshakeGate
{
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    public async Task<T> RunAsync<T>(string endpointAddress, Func<CancellationToken, Task<T>> handshake, CancellationToken cancellationToken)
    {
        Gate gate;
        lock (_gates)
        {
            if (!_gates.TryGetValue(endpointAddress, out gate!))
            {
                gate = new Gate();
                _gates[endpointAddress] = gate;
            }

            gate.Users++;
        }

        try
        {
            await gate.Turn.WaitAsync(cancellationToken);
            try
            {
                return await handshake(cancellationToken);
            }
            finally
            {
                gate.Turn.Release();
            }
        }
        finally
        {
            // Gates live only while someone connects to that endpoint, so memory follows the handshakes in flight.
            lock (_gates)
            {
                if (--gate.Users == 0)
                {
                    _gates.Remove(endpointAddress);
                    gate.Turn.Dispose();
                }
            }
        }
    }

    private sealed class Gate
    {
        public SemaphoreSlim Turn { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
