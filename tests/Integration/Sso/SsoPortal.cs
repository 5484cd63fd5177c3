using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Infrastructure.Features.Tenants;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Sso;

/// <summary>
/// The Web app on Kestrel (real sockets, so the upstream provider's redirects reach it), two organisations and an upstream
/// provider that knows the redirect URIs of both tenant hosts.
/// </summary>
public sealed class SsoPortal : PortalFactory, IAsyncLifetime
{
    public SignupResult Acme { get; private set; } = null!;

    public SignupResult Initech { get; private set; } = null!;

    public UpstreamIdentityProvider Upstream { get; private set; } = null!;

    public int Port { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        UseKestrel(0);
        StartServer();
        var address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Port = address.Port;
        Acme = await CreateTenantAsync("acme", "ada@acme.test");
        Initech = await CreateTenantAsync("initech", "bill@initech.test");
        Upstream = await UpstreamIdentityProvider.StartAsync();
        await Upstream.RegisterClientAsync(Host("acme", "/sso/callback"), Host("initech", "/sso/callback"));
    }

    public Uri Host(string tenant, string path) => new($"http://{tenant}.localhost:{Port}{path}");

    /// <summary>A browser: keeps cookies per host, follows redirects across both servers, resolves *.localhost to loopback.</summary>
    public static HttpClient Browser(bool followRedirects = true) =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = followRedirects,
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Sso:PollInterval", "00:00:01");
    }

    public new async Task DisposeAsync()
    {
        await Upstream.DisposeAsync();
        await base.DisposeAsync();
    }
}
