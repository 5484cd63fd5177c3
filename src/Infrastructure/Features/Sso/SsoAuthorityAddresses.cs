using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using StreamSpace.Domain.Common;

namespace StreamSpace.Infrastructure.Features.Sso;

/// <summary>
/// Keeps the server from fetching a tenant admin's issuer when it points inside the platform's network (a port scan through
/// the error messages, cloud metadata): every address a host resolves to is checked when the issuer is saved or tested, and
/// again at each connection, so a name that resolves elsewhere later (DNS rebinding) is refused too.
/// </summary>
public sealed class SsoAuthorityAddresses(IOptions<SsoAuthorityOptions> options)
{
    private static readonly (IPNetwork Network, string Kind)[] Inside =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "a this-network address"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private address"),
        (IPNetwork.Parse("100.64.0.0/10"), "a carrier-grade NAT address"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private address"),
        (IPNetwork.Parse("192.0.0.0/24"), "a protocol-assignment address"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private address"),
        (IPNetwork.Parse("198.18.0.0/15"), "a benchmarking address"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved address"),
        (IPNetwork.Parse("::/128"), "the unspecified address"),
        (IPNetwork.Parse("::1/128"), "a loopback address"),
        (IPNetwork.Parse("fc00::/7"), "a private (unique local) address"),
        (IPNetwork.Parse("fe80::/10"), "a link-local address"),
        (IPNetwork.Parse("ff00::/8"), "a multicast address"),
    ];

    /// <summary>Translated IPv4 (NAT64) reaches whatever IPv4 address it embeds.</summary>
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    private readonly IPNetwork[] _allowed = [.. options.Value.AllowedAuthorityNetworks.Select(n => IPNetwork.Parse(n))];

    /// <summary>Why the server may not connect to <paramref name="address"/>, naming its range; null when it may.</summary>
    public string? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        else if (Nat64.Contains(address))
        {
            address = new IPAddress(address.GetAddressBytes()[12..]);
        }

        if (options.Value.AllowPrivateAuthorities || _allowed.Any(n => n.Contains(address)))
        {
            return null;
        }

        return Inside.Where(r => r.Network.Contains(address)).Select(r => $"{r.Kind} ({r.Network})").FirstOrDefault();
    }

    /// <summary>Why <paramref name="issuer"/> may not be used, in words for the tenant admin; null when every address of its host may.</summary>
    public async Task<string?> RefusalAsync(Uri issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        IPAddress[] addresses;
        try
        {
            addresses = await AddressesOfAsync(issuer.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            // A name that does not resolve reaches nothing; the connection's own check covers it if it resolves later.
            return null;
        }

        return addresses.Select(Refusal).FirstOrDefault(r => r is not null) is { } why ? Message(issuer.IdnHost, why) : null;
    }

    /// <summary>
    /// The <see cref="SocketsHttpHandler.ConnectCallback"/> of every client that talks to a provider: resolves the host itself,
    /// refuses when any address is inside, and connects only to the addresses it checked.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var addresses = await AddressesOfAsync(host, cancellationToken);
        if (addresses.Select(Refusal).FirstOrDefault(r => r is not null) is { } why)
        {
            throw new DomainException(Message(host, why));
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            if (socket.RemoteEndPoint is IPEndPoint remote && Refusal(remote.Address) is { } connected)
            {
                throw new DomainException(Message(host, connected));
            }

            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IPAddress[]> AddressesOfAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);

    private static string Message(string host, string why) =>
        $"The issuer's host {host} is {why}: StreamSpace does not contact loopback, link-local or private addresses for sign-in " +
        $"unless the platform operator allows them ({SsoAuthorityOptions.Section}:{nameof(SsoAuthorityOptions.AllowPrivateAuthorities)} " +
        $"or {SsoAuthorityOptions.Section}:{nameof(SsoAuthorityOptions.AllowedAuthorityNetworks)}).";
}
