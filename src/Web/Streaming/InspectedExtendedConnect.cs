using Microsoft.AspNetCore.Http.Features;

namespace StreamSpace.Web.Streaming;

/// <summary>An HTTP/2 WebSocket (RFC 8441 extended CONNECT) whose stream passes through an <see cref="AppSocketInspector"/>.</summary>
internal sealed class InspectedExtendedConnect(IHttpExtendedConnectFeature inner, AppSocketInspector inspector) : IHttpExtendedConnectFeature
{
    public bool IsExtendedConnect => inner.IsExtendedConnect;

    public string? Protocol => inner.Protocol;

    public async ValueTask<Stream> AcceptAsync() => new InspectedStream(await inner.AcceptAsync(), inspector);
}
