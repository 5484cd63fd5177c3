namespace StreamSpace.Infrastructure.Features.Sso;

/// <summary>
/// An <see cref="HttpClientHandler"/> (OpenIddict's client insists on that type) whose requests go through a
/// <see cref="SocketsHttpHandler"/> that connects only where <see cref="SsoAuthorityAddresses"/> allows.
/// </summary>
public sealed class SsoAuthorityHandler : HttpClientHandler
{
    private readonly HttpMessageInvoker _checked;

    public SsoAuthorityHandler(SsoAuthorityAddresses addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);

        // No cookies and no automatic decompression: what OpenIddict sets on the handlers it builds itself.
        _checked = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = addresses.ConnectAsync,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        });
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _checked.SendAsync(request, cancellationToken);

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _checked.Send(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _checked.Dispose();
        }

        base.Dispose(disposing);
    }
}
