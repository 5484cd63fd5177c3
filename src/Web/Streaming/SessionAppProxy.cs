using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Web.Proxies;
using Yarp.ReverseProxy.Forwarder;

namespace StreamSpace.Web.Streaming;

/// <summary>
/// Serves an <c>http</c> template's own web client on the session's host, <c>{session}.{tenant}.{BaseDomain}</c>, by
/// forwarding every request (WebSocket upgrades included) to the session's endpoint with YARP. The viewer hands the owner a
/// <see cref="SignInHandover"/> ticket for <see cref="EnterPath"/>, which becomes a host-only cookie naming the session and
/// member; nothing else gets through. Plain requests count as input for the idle sweep; on a WebSocket, an
/// <see cref="AppSocketInspector"/> reads the messages, counts only real input and applies the tier's clipboard rules.
/// </summary>
public sealed class SessionAppProxy(
    RequestDelegate next, IHttpForwarder forwarder, IDataProtectionProvider protection, InputActivity activity, TimeProvider time,
    IOptions<ForwardedHeadersSettings> proxies)
{
    /// <summary>Where the viewer sends the browser with <c>?ticket=…</c>; it answers with the cookie and a redirect to <c>/</c>.</summary>
    public const string EnterPath = "/_streamspace/enter";

    public const string CookieName = "streamspace-app";

    private static readonly TimeSpan CookieLifetime = TimeSpan.FromHours(12);

    private static readonly HttpMessageInvoker Upstream = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    });

    private readonly ITimeLimitedDataProtector _cookies =
        protection.CreateProtector("StreamSpace.SessionAppCookie").ToTimeLimitedDataProtector();

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Items[TenantResolutionMiddleware.SessionHostKey] is not string name)
        {
            await next(context);
            return;
        }

        // Resolved here rather than as parameters, so the portal's own requests do not build them.
        var tenantContext = context.RequestServices.GetRequiredService<TenantContext>();
        var db = context.RequestServices.GetRequiredService<StreamSpaceDb>();

        // The app's own status codes and ours go to the browser as they are, never through the portal's error pages.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }

        if (tenantContext.Tenant is not { Status: TenantStatus.Active } tenant)
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, "There is no such application.");
            return;
        }

        var session = await db.Sessions.AsNoTracking()
            .Where(s => s.Name == name)
            .Select(s => new { s.Id, s.MemberId, s.State, s.Endpoint, OwnerDisabled = db.Users.Any(m => m.Id == s.MemberId && m.DisabledAt != null) })
            .SingleOrDefaultAsync(context.RequestAborted);

        // A disabled member's cookie stops at once, as the portal's does; their sessions are hibernating anyway.
        if (session is null || session.OwnerDisabled)
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, "There is no such application.");
            return;
        }

        if (context.Request.Path == EnterPath)
        {
            var ticket = context.Request.Query["ticket"].ToString();
            var memberId = ticket.Length == 0
                ? null
                : await context.RequestServices.GetRequiredService<SignInHandover>().RedeemAsync(ticket, tenant.Id, SignInHandover.SessionAudience(session.Id), context.RequestAborted);
            if (memberId != session.MemberId)
            {
                await RefuseAsync(context, StatusCodes.Status401Unauthorized, "This link has expired or was already used; open the application again from your sessions page.");
                return;
            }

            context.Response.Cookies.Append(CookieName, _cookies.Protect(CookieValue(session.Id, session.MemberId), time.GetUtcNow() + CookieLifetime), new CookieOptions
            {
                HttpOnly = true,
                // Strict: no other site's page, not even a link, makes the browser send it to the app.
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/",
            });
            context.Response.Redirect("/");
            return;
        }

        if (!HoldsCookieFor(context.Request, session.Id, session.MemberId))
        {
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, "Open this application from your StreamSpace sessions page.");
            return;
        }

        if (session.State != SessionState.Running || session.Endpoint is null)
        {
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, $"This session is {session.State.ToString().ToLowerInvariant()}, not running; resume it from your sessions page.");
            return;
        }

        // Sibling hosts (another tenant's session app) are the same site, so SameSite does not keep their pages' WebSockets out.
        if (IsWebSocket(context.Request) && !IsOwnOrigin(context.Request))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "WebSocket connections to this application are only accepted from its own pages.");
            return;
        }

        // An open connection is a tab, not input: only what the inspector reads as input in its messages counts. Every
        // upgrade is inspected, whatever its Upgrade header says, so none carries bytes past the clipboard rules unread.
        var upgrade = context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgradable ? upgradable : null;
        var connect = context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } extended ? extended : null;
        var upgrading = upgrade is not null || connect is not null;
        if (upgrading)
        {
            var tier = (await context.RequestServices.GetRequiredService<MemberQuotas>().OfAsync(session.MemberId, context.RequestAborted)).Tier;
            var inspector = new AppSocketInspector(new StreamPolicy(tier.ClipboardIn, ClipboardOut: tier.ClipboardOut), () => activity.RecordInput(session.Id, time.GetUtcNow()));
            if (upgrade is not null)
            {
                context.Features.Set<IHttpUpgradeFeature>(new InspectedUpgrade(upgrade, inspector));
            }

            if (connect is not null)
            {
                context.Features.Set<IHttpExtendedConnectFeature>(new InspectedExtendedConnect(connect, inspector));
            }

            activity.ViewerConnected(session.Id, time.GetUtcNow());
        }
        else
        {
            activity.RecordInput(session.Id, time.GetUtcNow());
        }

        try
        {
            await forwarder.SendAsync(context, session.Endpoint, Upstream, ForwarderRequestConfig.Empty, WithoutOurCookie.Instance);
        }
        finally
        {
            if (upgrading)
            {
                activity.ViewerDisconnected(session.Id, time.GetUtcNow());
            }
        }
    }

    private bool HoldsCookieFor(HttpRequest request, Guid sessionId, Guid memberId)
    {
        if (request.Cookies[CookieName] is not { Length: > 0 } cookie)
        {
            return false;
        }

        try
        {
            return _cookies.Unprotect(cookie) == CookieValue(sessionId, memberId);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static bool IsWebSocket(HttpRequest request) =>
        request.Headers.Upgrade.Any(value => string.Equals(value, "websocket", StringComparison.OrdinalIgnoreCase))
        || request.HttpContext.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true };

    /// <summary>
    /// A browser always sends <c>Origin</c> on a WebSocket; it must be this host. No <c>Origin</c> is a client that is not a
    /// browser page, which holds the cookie itself. The scheme is the request's or the public URL's (TLS ends at the proxy).
    /// </summary>
    private bool IsOwnOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        var schemeMatches = uri.Scheme == request.Scheme || (uri.Scheme == Uri.UriSchemeHttps && proxies.Value.PublicUrlIsHttps);
        var port = request.Host.Port ?? (uri.Scheme == Uri.UriSchemeHttps ? 443 : 80);
        return schemeMatches && uri.Port == port && string.Equals(uri.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase);
    }

    private static string CookieValue(Guid sessionId, Guid memberId) =>
        string.Create(CultureInfo.InvariantCulture, $"{sessionId:N}|{memberId:N}");

    private static async Task RefuseAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message, context.RequestAborted);
    }

    /// <summary>
    /// Forwards as YARP does by default, but the app never sees the cookie that admits the browser to it, and is offered no
    /// WebSocket extension: a compressed frame (permessage-deflate) could not be read for input and clipboard.
    /// </summary>
    private sealed class WithoutOurCookie : HttpTransformer
    {
        public static readonly WithoutOurCookie Instance = new();

        public override async ValueTask TransformRequestAsync(
            HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.Headers.Remove("Sec-WebSocket-Extensions");
            if (!proxyRequest.Headers.TryGetValues("Cookie", out var values))
            {
                return;
            }

            var kept = values
                .SelectMany(value => value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                .Where(pair => !pair.StartsWith(CookieName + "=", StringComparison.Ordinal))
                .ToList();
            proxyRequest.Headers.Remove("Cookie");
            if (kept.Count > 0)
            {
                proxyRequest.Headers.TryAddWithoutValidation("Cookie", string.Join("; ", kept));
            }
        }
    }
}
