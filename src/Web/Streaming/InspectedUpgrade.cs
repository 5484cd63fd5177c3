using Microsoft.AspNetCore.Http.Features;

namespace StreamSpace.Web.Streaming;

/// <summary>An HTTP/1.1 upgrade whose stream passes through an <see cref="AppSocketInspector"/>.</summary>
internal sealed class InspectedUpgrade(IHttpUpgradeFeature inner, AppSocketInspector inspector) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync() => new InspectedStream(await inner.UpgradeAsync(), inspector);
}
