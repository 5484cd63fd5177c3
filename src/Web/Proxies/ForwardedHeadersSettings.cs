using System.ComponentModel.DataAnnotations;
using System.Net;

namespace StreamSpace.Web.Proxies;

/// <summary>
/// Running behind a reverse proxy: whose <c>X-Forwarded-For</c>/<c>-Proto</c> are believed, and the public address the
/// browsers use. Unset, only loopback is trusted (a proxy on the same machine, <c>make run</c>).
/// </summary>
public sealed class ForwardedHeadersSettings : IValidatableObject
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses of the proxies in front of Web (<c>10.0.0.5</c>); they replace the loopback default.</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Networks the proxies live in, as CIDR (<c>10.42.0.0/16</c>, the ingress controller's pods); they replace the loopback default.</summary>
    public IList<string> KnownNetworks { get; } = [];

    /// <summary>The address browsers reach the portal at (<c>https://streamspace.example.com/</c>); https makes every cookie <c>Secure</c>.</summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>Whether browsers only ever reach the portal over https, whatever the hop from the proxy is.</summary>
    public bool PublicUrlIsHttps => PublicUrl is { IsAbsoluteUri: true } url && url.Scheme == Uri.UriSchemeHttps;

    /// <summary>Whether the operator named the proxies, so loopback is no longer trusted by default.</summary>
    public bool NamesProxies => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    public IEnumerable<IPAddress> Proxies() => KnownProxies.Select(IPAddress.Parse);

    public IEnumerable<IPNetwork> Networks() => KnownNetworks.Select(network => IPNetwork.Parse(network));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(proxy => !IPAddress.TryParse(proxy, out _)))
        {
            yield return new ValidationResult(
                $"{Section}:KnownProxies: '{proxy}' is not an IP address (write a network as {Section}:KnownNetworks, e.g. 10.42.0.0/16).",
                [nameof(KnownProxies)]);
        }

        foreach (var network in KnownNetworks.Where(network => !IPNetwork.TryParse(network, out _)))
        {
            yield return new ValidationResult(
                $"{Section}:KnownNetworks: '{network}' is not a network in CIDR notation (address/prefix length, e.g. 10.42.0.0/16).",
                [nameof(KnownNetworks)]);
        }

        if (PublicUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("https" or "http")))
        {
            yield return new ValidationResult(
                $"{Section}:PublicUrl: '{url}' is not an absolute http or https address (e.g. https://streamspace.example.com/).",
                [nameof(PublicUrl)]);
        }
    }
}
