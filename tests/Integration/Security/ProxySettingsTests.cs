using System.ComponentModel.DataAnnotations;
using StreamSpace.Web.Proxies;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>A mistyped proxy setting stops Web at start with a message naming it, rather than trusting nothing or everything.</summary>
public sealed class ProxySettingsTests
{
    [Theory]
    [InlineData("10.42.0.0", null, null, "ForwardedHeaders:KnownNetworks: '10.42.0.0' is not a network in CIDR notation")]
    [InlineData(null, "10.42.0.0/16", null, "ForwardedHeaders:KnownProxies: '10.42.0.0/16' is not an IP address")]
    [InlineData(null, "ingress-nginx", null, "ForwardedHeaders:KnownProxies: 'ingress-nginx' is not an IP address")]
    [InlineData(null, null, "streamspace.example.com", "ForwardedHeaders:PublicUrl: 'streamspace.example.com' is not an absolute http or https address")]
    public void A_malformed_proxy_setting_is_refused_with_a_message_naming_it(string? network, string? proxy, string? publicUrl, string message)
    {
        var settings = new ForwardedHeadersSettings { PublicUrl = publicUrl is null ? null : new Uri(publicUrl, UriKind.RelativeOrAbsolute) };
        if (network is not null)
        {
            settings.KnownNetworks.Add(network);
        }

        if (proxy is not null)
        {
            settings.KnownProxies.Add(proxy);
        }

        var results = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true));
        Assert.StartsWith(message, Assert.Single(results).ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Addresses_and_networks_of_both_families_are_accepted()
    {
        var settings = new ForwardedHeadersSettings { PublicUrl = new Uri("https://streamspace.example.com/") };
        settings.KnownProxies.Add("192.0.2.50");
        settings.KnownProxies.Add("2001:db8::5");
        settings.KnownNetworks.Add("10.42.0.0/16");
        settings.KnownNetworks.Add("fd00:42::/64");

        Assert.True(Validator.TryValidateObject(settings, new ValidationContext(settings), [], validateAllProperties: true));
        Assert.True(settings.PublicUrlIsHttps);
    }
}
