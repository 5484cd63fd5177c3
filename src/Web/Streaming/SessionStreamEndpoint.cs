using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Members;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Features.Tiers;
using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Web.Streaming;

/// <summary><c>GET /sessions/{id}/stream</c>: the owner's browser WebSocket, relayed to the session by the RFB gateway (DESIGN §6).</summary>
public static class SessionStreamEndpoint
{
    public const string Route = "/sessions/{id:guid}/stream";

    public static IEndpointRouteBuilder MapSessionStream(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map(Route, StreamAsync);
        return endpoints;
    }

    private static async Task StreamAsync(
        HttpContext http,
        Guid id,
        TenantContext tenantContext,
        StreamSpaceDb db,
        ISessionRuntime runtime,
        SessionGateway gateway,
        MemberQuotas quotas,
        OpenStreams streams,
        IOptions<StreamGatewayOptions> options,
        AuditTrail audit)
    {
        // Everyone but the owner learns nothing, not even that the session exists, and is answered before any upgrade;
        // a tenant admin may watch read-only when the organisation allows it.
        if (tenantContext.Tenant is not { } tenant || !Guid.TryParse(http.User.FindFirstValue(ClaimTypes.NameIdentifier), out var memberId))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var watching = tenant.AdminViewing && http.User.IsInRole(MemberRole.TenantAdmin);
        var session = await db.Sessions
            .Where(s => s.Id == id && (s.MemberId == memberId || watching))
            .Select(s => new { s.Name, s.State, s.Endpoint, s.MemberId, s.Runtime })
            .SingleOrDefaultAsync(http.RequestAborted);
        if (session is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var viewOnly = session.MemberId != memberId;

        if (!http.WebSockets.IsWebSocketRequest || !IsSameOrigin(http.Request))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (session.State != SessionState.Running || session.Endpoint is null)
        {
            http.Response.StatusCode = StatusCodes.Status409Conflict;
            await http.Response.WriteAsync($"The session is {session.State.ToString().ToLowerInvariant()}, not running.", http.RequestAborted);
            return;
        }

        // Counted per signed-in member, so an admin watching counts against the admin, not the session's owner.
        var limit = options.Value.MaxStreamsPerMember;
        using var lease = streams.TryOpen($"member:{memberId:N}", limit);
        if (lease is null)
        {
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            await http.Response.WriteAsync($"You already have {limit} session streams open; close one first.", http.RequestAborted);
            return;
        }

        var password = await runtime.ReadVncPasswordAsync(new SessionAddress(tenant.Slug, id, session.Runtime), http.RequestAborted);
        var tier = (await quotas.OfAsync(session.MemberId, http.RequestAborted)).Tier;
        var policy = new StreamPolicy(tier.ClipboardIn, viewOnly, tier.ClipboardOut);
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        audit.Record(viewOnly ? AuditActions.AdminViewStarted : AuditActions.StreamConnected, $"session/{session.Name}", viewOnly ? "read-only" : null);
        await db.SaveChangesAsync(http.RequestAborted);
        try
        {
            await gateway.RelayAsync(socket, new SessionEndpoint(StreamProtocol.Rfb, session.Endpoint), password, policy, id, http.RequestAborted);
        }
        finally
        {
            audit.Record(AuditActions.StreamDisconnected, $"session/{session.Name}", viewOnly ? "read-only" : null);
            await db.SaveChangesAsync(CancellationToken.None);
        }
    }

    /// <summary>Refuses cross-site WebSocket hijacking: a page on another origin cannot open a member's stream with their cookie.</summary>
    private static bool IsSameOrigin(HttpRequest request) =>
        request.Headers.Origin.ToString() is not { Length: > 0 } origin
        || (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
}
