using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Observability;
using StreamSpace.Infrastructure.Streaming;

namespace StreamSpace.Bench;

/// <summary>
/// The hidden <c>serve-gateway &lt;port&gt; &lt;unix-socket&gt;</c> mode: Kestrel on 127.0.0.1 with one WebSocket route that
/// makes the Web app's <see cref="SessionGateway.RelayAsync"/> call, in its own process so its CPU and memory can be read.
/// It stops when its standard input closes, so it never outlives the bench.
/// </summary>
internal static class GatewayServer
{
    public const string Path = "/stream";

    private static readonly Guid SessionId = Guid.Parse("5e55104d-0000-4000-8000-000000000001");

    public static async Task<int> RunAsync(string[] arguments)
    {
        if (arguments.Length != 2 || !int.TryParse(arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            await Console.Error.WriteLineAsync("usage: StreamSpace.Bench serve-gateway <port> <unix-socket>");
            return 2;
        }

        var endpoint = new SessionEndpoint(StreamProtocol.Rfb, "unix:" + arguments[1]);
        var policy = new StreamPolicy(ClipboardIn: true);

        var builder = WebApplication.CreateSlimBuilder();
        // Nothing on the hot path logs, and the few per-connection lines would only measure the console.
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable(ProxyUnderTest.InlineCompletions) == "1")
        {
            // The bench's inline experiment: Kestrel's continuations on the socket event threads as well.
            builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        // The Web app's own registration (so a new dependency of the gateway reaches the bench too), minus
        // InputActivityFlush, which needs PostgreSQL.
        builder.Services.AddStreamGateway();
        builder.Services.Remove(builder.Services.Single(descriptor =>
            descriptor.ServiceType == typeof(IHostedService) && descriptor.ImplementationType == typeof(InputActivityFlush)));
        builder.Services.AddSingleton<StreamSpaceMetrics>();

        await using var app = builder.Build();
        app.UseWebSockets();
        app.Map(Path, async (HttpContext context, SessionGateway gateway) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await gateway.RelayAsync(socket, endpoint, vncPassword: null, policy, SessionId, context.RequestAborted);
        });

        await app.StartAsync();
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }
}
