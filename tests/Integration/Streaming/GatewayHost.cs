using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Observability;
using StreamSpace.Infrastructure.Streaming;

namespace StreamSpace.Tests.Integration.Streaming;

/// <summary>
/// An in-process Kestrel on 127.0.0.1 standing in for the Web app: <c>/sessions/{id}/stream</c> accepts the WebSocket
/// and makes the same one-line <see cref="SessionGateway.RelayAsync"/> call the real endpoint will.
/// </summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<Guid, (SessionEndpoint Endpoint, string? Password, StreamPolicy Policy)> _sessions;

    private GatewayHost(WebApplication app, ConcurrentDictionary<Guid, (SessionEndpoint, string?, StreamPolicy)> sessions, InputActivity activity, CapturedLog log)
    {
        _app = app;
        _sessions = sessions;
        Activity = activity;
        Log = log;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseUri = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal));
    }

    public InputActivity Activity { get; }

    public CapturedLog Log { get; }

    public AdminWatchers Watchers { get; private init; } = null!;

    public Uri BaseUri { get; }

    public static async Task<GatewayHost> StartAsync(Action<StreamGatewayOptions>? configure = null)
    {
        var sessions = new ConcurrentDictionary<Guid, (SessionEndpoint, string?, StreamPolicy)>();
        var activity = new InputActivity();
        var log = new CapturedLog();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(log);
        builder.Services.AddSingleton(activity);
        builder.Services.AddSingleton<AdminWatchers>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<StreamGatewayOptions>().Configure(options => configure?.Invoke(options));
        builder.Services.AddSingleton<SessionGateway>();
        builder.Services.AddSingleton<StreamSpaceMetrics>();

        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/sessions/{id:guid}/stream", async (HttpContext context, Guid id, SessionGateway gateway) =>
        {
            if (!context.WebSockets.IsWebSocketRequest || !sessions.TryGetValue(id, out var session))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await gateway.RelayAsync(socket, session.Item1, session.Item2, session.Item3, id, context.RequestAborted);
        });
        await app.StartAsync();
        return new GatewayHost(app, sessions, activity, log) { Watchers = app.Services.GetRequiredService<AdminWatchers>() };
    }

    /// <summary>Makes a session streamable and returns its id.</summary>
    public Guid AddSession(SessionEndpoint endpoint, string? vncPassword = null, StreamPolicy? policy = null)
    {
        var id = Guid.NewGuid();
        _sessions[id] = (endpoint, vncPassword, policy ?? new StreamPolicy(ClipboardIn: true));
        return id;
    }

    public Uri StreamUri(Guid sessionId) => new(BaseUri, $"/sessions/{sessionId}/stream");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
