namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>Outbound access of sessions with the <c>network</c> capability (<c>Runtime:Local:Network</c>).</summary>
public sealed class LocalNetworkOptions
{
    /// <summary>
    /// Networks (CIDR) sessions may reach although they are loopback, link-local, private or this host's own, e.g. a proxy or a
    /// package mirror on the LAN. Empty: only public addresses and the session resolver.
    /// </summary>
    public List<string> AllowedCidrs { get; set; } = [];

    public string SlirpPath { get; set; } = "/usr/bin/slirp4netns";

    public string NftPath { get; set; } = "/usr/sbin/nft";

    public string NsenterPath { get; set; } = "/usr/bin/nsenter";
}
