using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Kubernetes;

/// <summary>
/// The Web app on a real Kestrel (WebSocket upgrades need one) and a second Kestrel playing a LinuxServer image's web client:
/// <c>/</c> answers a page naming the cookies it was sent, <c>/ws</c> echoes WebSocket messages. Ada of acme owns two running
/// <c>http</c> sessions pointed at it, <c>app-one</c> and <c>app-two</c>, and a hibernated one, <c>app-asleep</c>; Bob is a
/// plain member of acme.
/// </summary>
public class SessionAppPortal : TwoTenantsPortal, IAsyncLifetime
{
    public const string Bob = "bob@acme.test";

    private WebApplication? _upstream;

    public SessionAppPortal() => UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

    public int Port { get; private set; }

    public Guid AppOne { get; private set; }

    public Guid AppTwo { get; private set; }

    public Guid AppAsleep { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var upstream = await StartUpstreamAsync();
        Upstream = upstream;

        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Port = new Uri(address).Port;

        await AddMemberAsync(Acme, Bob);
        await using (var platform = Database.CreateContext())
        {
            platform.Templates.Add(Template.CreateGlobal(BuiltInTemplates.All[0] with { Name = "webapp", DisplayName = "Web app", Protocol = StreamProtocol.Http }));
            await platform.SaveChangesAsync();
        }

        AppOne = await AddRunningSessionAsync("app-one");
        AppTwo = await AddRunningSessionAsync("app-two");
        AppAsleep = await AddRunningSessionAsync("app-asleep");
        await using var db = ContextOf(Acme);
        var asleep = await db.Sessions.SingleAsync(s => s.Id == AppAsleep);
        asleep.BeginHibernate("user", DateTimeOffset.UtcNow);
        asleep.MarkHibernated(DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
    }

    /// <summary>The upstream's address (<c>http://127.0.0.1:port</c>), which every session's endpoint names.</summary>
    public string Upstream { get; private set; } = string.Empty;

    /// <summary>A running <c>http</c> session of Ada's, <c>{name}.acme.localhost</c>, pointed at the upstream.</summary>
    public async Task<Guid> AddRunningSessionAsync(string name)
    {
        await using var db = ContextOf(Acme);
        var template = await db.Templates.SingleAsync(t => t.Name == "webapp");
        var now = DateTimeOffset.UtcNow;
        var session = Session.Create(Acme.Admin!.Id, template.Id, name, 256L << 20, 250, now);
        session.Start("Starting", now);
        session.MarkRunning(Upstream, now, TimeSpan.FromHours(8));
        db.Sessions.Add(session);
        await db.SaveChangesAsync();
        return session.Id;
    }

    /// <summary>Ada signs in, takes the ticket the viewer's app frame takes and follows it: the <c>Cookie</c> header her browser then sends to the app.</summary>
    public async Task<string> AppCookieAsync(Guid session)
    {
        var cookies = new CookieContainer();
        using (var ada = Browser("acme.localhost", cookies))
        {
            await ada.SignInAsync(AcmeAdmin, Passwords.Good);
            var view = await ada.GetAsync($"/sessions/{session}/view?handler=Enter");
            var ticket = view.Headers.Location ?? throw new InvalidOperationException($"The viewer answered {view.StatusCode}, not a ticket.");
            using var app = Browser(ticket.Host, cookies);
            using var enter = await app.GetAsync(ticket.PathAndQuery);
            return cookies.GetCookieHeader(new Uri($"http://{ticket.Host}:{Port}/"));
        }
    }

    public new async Task DisposeAsync()
    {
        if (_upstream is not null)
        {
            await _upstream.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>A browser on <c>{host}</c> (any name under localhost reaches this Kestrel), keeping cookies, not following redirects.</summary>
    public HttpClient Browser(string host, CookieContainer? cookies = null) =>
        new(Handler(cookies ?? new CookieContainer()), disposeHandler: true)
        {
            BaseAddress = new Uri($"http://{host}:{Port}"),
        };

    /// <summary>A WebSocket to <c>ws://{host}{path}</c> through the portal, sending the given cookie header.</summary>
    public async Task<ClientWebSocket> ConnectWebSocketAsync(string host, string cookie, string path = "/ws", Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", cookie);
        configure?.Invoke(socket.Options);
        using var invoker = new HttpMessageInvoker(Handler(null));
        await socket.ConnectAsync(new Uri($"ws://{host}:{Port}{path}"), invoker, CancellationToken.None);
        return socket;
    }

    /// <summary>
    /// A WebSocket upgrade to <c>ws://{host}/ws</c> as a browser page on <paramref name="origin"/> makes it; a refused upgrade
    /// does not throw, its status is the socket's <see cref="ClientWebSocket.HttpStatusCode"/>.
    /// </summary>
    public async Task<ClientWebSocket> UpgradeFromAsync(string host, string cookie, string origin)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Cookie", cookie);
        socket.Options.SetRequestHeader("Origin", origin);
        using var invoker = new HttpMessageInvoker(Handler(null));
        try
        {
            await socket.ConnectAsync(new Uri($"ws://{host}:{Port}/ws"), invoker, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // The status code tells the caller why.
        }

        return socket;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("StreamGateway:FlushInterval", "00:00:01");
    }

    private SocketsHttpHandler Handler(CookieContainer? cookies) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = cookies is not null,
        CookieContainer = cookies ?? new CookieContainer(),
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };

    /// <summary>Starts what plays the session's app and returns its address; here an in-process Kestrel.</summary>
    protected virtual async Task<string> StartUpstreamAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets();
        app.MapGet("/", (HttpContext context) => Results.Content(
            $"<h1>Hello from the app</h1><p id=\"cookies\">{context.Request.Headers.Cookie}</p><p id=\"host\">{context.Request.Host}</p>", "text/html"));
        app.Map("/ws", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
            }
        });
        await app.StartAsync();
        _upstream = app;
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }
}
