using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>
/// Web behind an ingress whose pods live in 10.42.0.0/16 (<c>ForwardedHeaders:KnownNetworks</c>) and a load balancer at
/// 192.0.2.50 (<c>ForwardedHeaders:KnownProxies</c>); every other peer is a client talking to Web directly.
/// </summary>
public sealed class ProxyForwardedHeadersTests(ProxyForwardedHeadersTests.BehindProxyPortal portal) : IClassFixture<ProxyForwardedHeadersTests.BehindProxyPortal>
{
    private const string Ingress = "10.42.3.7";

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.43.0.9")]
    public async Task A_forged_forwarded_header_from_an_untrusted_peer_does_not_buy_a_fresh_sign_in_budget(string peer)
    {
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt <= BehindProxyPortal.AttemptsPerMinute; attempt++)
        {
            // Each attempt claims to come from another address (127.0.0.1 is a sandbox on the host network, trusted before).
            using var client = portal.ClientFrom(peer, forwardedFor: $"198.51.100.{attempt + 1}");
            statuses.Add((await client.SignInAsync("x@y.test", "whatever-password", organisation: "acme")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.All(statuses[..^1], status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task Two_clients_behind_the_configured_ingress_get_a_sign_in_budget_each()
    {
        var first = new List<HttpStatusCode>();
        for (var attempt = 0; attempt <= BehindProxyPortal.AttemptsPerMinute; attempt++)
        {
            using var client = portal.ClientFrom(Ingress, forwardedFor: "203.0.113.10");
            first.Add((await client.SignInAsync("x@y.test", "whatever-password", organisation: "acme")).StatusCode);
        }

        using var second = portal.ClientFrom(Ingress, forwardedFor: "203.0.113.11");
        var secondStatus = (await second.SignInAsync("x@y.test", "whatever-password", organisation: "acme")).StatusCode;

        Assert.Equal(HttpStatusCode.TooManyRequests, first[^1]);
        Assert.Equal(HttpStatusCode.OK, secondStatus);
    }

    [Fact]
    public async Task A_client_behind_a_load_balancer_and_the_ingress_is_counted_as_itself()
    {
        // The load balancer saw 203.0.113.30 and the ingress saw the load balancer: both hops are trusted.
        using var through = portal.ClientFrom(Ingress, forwardedFor: "203.0.113.30, 192.0.2.50");
        for (var attempt = 0; attempt < BehindProxyPortal.AttemptsPerMinute; attempt++)
        {
            Assert.Equal(HttpStatusCode.OK, (await through.SignInAsync("x@y.test", "whatever-password", organisation: "acme")).StatusCode);
        }

        using var sameClient = portal.ClientFrom(Ingress, forwardedFor: "203.0.113.30");
        using var neighbour = portal.ClientFrom(Ingress, forwardedFor: "203.0.113.31, 192.0.2.50");

        Assert.Equal(HttpStatusCode.TooManyRequests, (await sameClient.SignInAsync("x@y.test", "whatever-password", organisation: "acme")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await neighbour.SignInAsync("x@y.test", "whatever-password", organisation: "acme")).StatusCode);
    }

    [Fact]
    public async Task A_client_forging_entries_before_the_ingress_is_still_counted_as_the_address_the_ingress_saw()
    {
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt <= BehindProxyPortal.AttemptsPerMinute; attempt++)
        {
            // The client wrote the first entry; the ingress appended the address it accepted the connection from.
            using var client = portal.ClientFrom(Ingress, forwardedFor: $"192.0.2.{attempt + 1}, 203.0.113.20");
            statuses.Add((await client.SignInAsync("x@y.test", "whatever-password", organisation: "acme")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    /// <summary>The portal in-process; <see cref="PeerHeader"/> states the TCP peer, as Kestrel would from the socket.</summary>
    public sealed class BehindProxyPortal : PortalFactory
    {
        public const int AttemptsPerMinute = 3;

        private const string PeerHeader = "X-Test-Peer";

        protected override int SignInAttemptsPerMinute => AttemptsPerMinute;

        /// <summary>A browser on the bare host whose connections come from <paramref name="peer"/>, sending <c>X-Forwarded-For</c>.</summary>
        public HttpClient ClientFrom(string peer, string forwardedFor)
        {
            var client = ClientFor(null);
            client.DefaultRequestHeaders.Add(PeerHeader, peer);
            client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
            return client;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ForwardedHeaders:KnownNetworks:0", "10.42.0.0/16");
            builder.UseSetting("ForwardedHeaders:KnownProxies:0", "192.0.2.50");
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, PeerFromHeader>());
        }

        private sealed class PeerFromHeader : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use((context, following) =>
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers[PeerHeader].ToString());
                    context.Request.Headers.Remove(PeerHeader);
                    return following(context);
                });
                next(app);
            };
        }
    }
}
