using StreamSpace.Domain.Templates;

namespace StreamSpace.Domain.Sessions;

/// <summary>
/// Where a running session is served. <see cref="Address"/> is <c>unix:/path/vnc.sock</c> or <c>tcp:host:port</c> for RFB,
/// an http(s) URL for <see cref="StreamProtocol.Http"/>.
/// </summary>
public sealed record SessionEndpoint(StreamProtocol Protocol, string Address)
{
    public override string ToString() => Address;
}
