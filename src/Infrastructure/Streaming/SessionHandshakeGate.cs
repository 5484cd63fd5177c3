namespace StreamSpace.Infrastructure.Streaming;

/// <summary>
/// Lets one gateway connection at a time authenticate to the same session endpoint. TigerVNC black-marks an address
/// for every connection that has not yet authenticated and blocks it at five; over a unix socket every viewer shares
/// one address, so a burst of simultaneous viewers would lock the whole session out for seconds.
/// </summary>
internal sealed class SessionHandshakeGate
{
    private const int Stripes = 64;

    // Striped rather than one per endpoint: bounded memory, and a handshake takes milliseconds.
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<T> RunAsync<T>(string endpointAddress, Func<CancellationToken, Task<T>> handshake, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(StringComparer.Ordinal.GetHashCode(endpointAddress) & int.MaxValue) % Stripes];
        await stripe.WaitAsync(cancellationToken);
        try
        {
            return await handshake(cancellationToken);
        }
        finally
        {
            stripe.Release();
        }
    }
}
