using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;

namespace StreamSpace.Infrastructure.Runtimes.Local;

/// <summary>
/// The network of a session with the <c>network</c> capability: the namespace bubblewrap made for it, given outbound access by
/// slirp4netns (user-mode NAT, host loopback disabled) and fenced by nftables rules loaded into it before any interface exists,
/// which refuse loopback, link-local, private, multicast and this host's own addresses unless the operator allows them.
/// </summary>
internal static class SandboxNetwork
{
    public const string Interface = "tap0";

    /// <summary>slirp4netns's DNS forwarder, the only private address a session may reach; its resolv.conf names it.</summary>
    public const string Resolver = "10.0.2.3";

    private static readonly string[] RefusedIpv4 =
    [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16",
        "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
    ];

    private static readonly string[] RefusedIpv6 = ["::/127", "::ffff:0:0/96", "fc00::/7", "fe80::/10", "ff00::/8"];

    /// <summary>The nftables table for the session's namespace: what is allowed first, then what is refused, then the rest of the world.</summary>
    public static string Ruleset(IEnumerable<string> allowedCidrs, IEnumerable<IPAddress> hostAddresses)
    {
        var allowed = allowedCidrs.Select(IPNetwork.Parse).ToList();
        var host = hostAddresses.Where(address => !IPAddress.IsLoopback(address)).ToList();
        var rules = new StringBuilder();
        rules.AppendLine("table inet streamspace {");
        rules.AppendLine("  chain output {");
        rules.AppendLine("    type filter hook output priority 0; policy accept;");
        rules.AppendLine("    oifname \"lo\" accept");
        rules.AppendLine(CultureInfo.InvariantCulture, $"    ip daddr {Resolver} udp dport 53 accept");
        rules.AppendLine(CultureInfo.InvariantCulture, $"    ip daddr {Resolver} tcp dport 53 accept");
        AppendSet(rules, "ip", allowed.Where(network => network.BaseAddress.AddressFamily == AddressFamily.InterNetwork).Select(network => network.ToString()), "accept");
        AppendSet(rules, "ip6", allowed.Where(network => network.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6).Select(network => network.ToString()), "accept");
        AppendSet(rules, "ip", RefusedIpv4.Concat(host.Where(IsIpv4).Select(address => $"{address}/32")), "reject");
        AppendSet(rules, "ip6", RefusedIpv6.Concat(host.Where(address => !IsIpv4(address)).Select(address => $"{address.ToString().Split('%')[0]}/128")), "reject");
        rules.AppendLine("  }");
        rules.AppendLine("}");
        return rules.ToString();
    }

    /// <summary>Every address of this host's interfaces: a session must not reach the host's own services through them either.</summary>
    public static List<IPAddress> HostAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(networkInterface => networkInterface.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .ToList();

    /// <summary>The first CIDR of <paramref name="cidrs"/> that does not parse, for the options' validation.</summary>
    public static string? FirstInvalid(IEnumerable<string> cidrs) => cidrs.FirstOrDefault(cidr => !IPNetwork.TryParse(cidr, out _));

    private static bool IsIpv4(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork;

    private static void AppendSet(StringBuilder rules, string family, IEnumerable<string> networks, string verdict)
    {
        var elements = networks.Distinct(StringComparer.Ordinal).ToList();
        if (elements.Count > 0)
        {
            rules.AppendLine(CultureInfo.InvariantCulture, $"    {family} daddr {{ {string.Join(", ", elements)} }} {verdict}");
        }
    }
}
