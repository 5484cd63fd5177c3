using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Integration.Streaming;

namespace StreamSpace.Tests.Integration.Kubernetes;

/// <summary><c>http</c> templates: the viewer's ticket, the session host's cookie and the YARP proxy to the session's endpoint.</summary>
public sealed class SessionAppProxyTests(SessionAppPortal portal) : IClassFixture<SessionAppPortal>
{
    private const string AppOneHost = "app-one.acme.localhost";

    [Fact]
    public async Task The_owners_ticket_becomes_a_host_only_cookie_and_the_app_page_is_proxied()
    {
        var (cookies, enter) = await EnterAsync(portal.AppOne);

        Assert.Equal(HttpStatusCode.Redirect, enter.StatusCode);
        Assert.Equal("/", enter.Headers.Location!.ToString());
        var setCookie = Assert.Single(enter.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("streamspace-app=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", setCookie, StringComparison.OrdinalIgnoreCase);

        using var app = portal.Browser(AppOneHost, cookies);
        var page = await app.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Hello from the app", html, StringComparison.Ordinal);
        Assert.DoesNotContain("streamspace-app", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_WebSocket_echoes_through_the_proxy_and_its_frames_count_as_input()
    {
        var (cookies, _) = await EnterAsync(portal.AppTwo);
        var cookie = cookies.GetCookieHeader(new Uri($"http://app-two.acme.localhost:{portal.Port}/"));

        using var socket = await portal.ConnectWebSocketAsync("app-two.acme.localhost", cookie);
        var sentAfter = DateTimeOffset.UtcNow;
        await socket.SendAsync(Encoding.UTF8.GetBytes("ping"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal("ping", Encoding.UTF8.GetString(buffer, 0, received.Count));

        Assert.True(await Deadline.WaitUntilAsync(async () =>
        {
            await using var db = portal.ContextOf(portal.Acme);
            var lastInput = await db.Sessions.Where(s => s.Id == portal.AppTwo).Select(s => s.LastInputAt).SingleAsync();
            return lastInput >= sentAfter;
        }, TimeSpan.FromSeconds(15)), "The frame sent through the proxy was not recorded as input.");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    [Fact]
    public async Task Without_the_cookie_or_with_another_sessions_cookie_the_app_is_refused()
    {
        using var stranger = portal.Browser(AppOneHost);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/")).StatusCode);

        var (cookies, _) = await EnterAsync(portal.AppTwo);
        var appTwoCookie = cookies.GetCookieHeader(new Uri($"http://app-two.acme.localhost:{portal.Port}/"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", appTwoCookie);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.SendAsync(request)).StatusCode);

        using var noSuchApp = portal.Browser("nothing-here.acme.localhost");
        Assert.Equal(HttpStatusCode.NotFound, (await noSuchApp.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_members_app_cookie_stops_working_as_soon_as_the_member_is_disabled()
    {
        var (cookies, _) = await EnterAsync(portal.AppOne);
        using var app = portal.Browser(AppOneHost, cookies);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/")).StatusCode);

        await SetOwnerDisabledAsync(true);
        try
        {
            Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync("/")).StatusCode);
        }
        finally
        {
            await SetOwnerDisabledAsync(false);
        }
    }

    private async Task SetOwnerDisabledAsync(bool disabled)
    {
        await using var db = portal.ContextOf(portal.Acme);
        var ownerId = await db.Sessions.Where(s => s.Id == portal.AppOne).Select(s => s.MemberId).SingleAsync();
        var owner = await db.Users.SingleAsync(m => m.Id == ownerId);
        if (disabled)
        {
            owner.Disable(DateTimeOffset.UtcNow);
        }
        else
        {
            owner.Enable();
        }

        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Another_member_is_never_handed_a_ticket()
    {
        using var bob = portal.Browser("acme.localhost", new CookieContainer());
        await bob.SignInAsync(SessionAppPortal.Bob, Passwords.Good);

        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/sessions/{portal.AppOne}/view")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/sessions/{portal.AppOne}/view?handler=Enter")).StatusCode);
    }

    [Fact]
    public async Task A_ticket_opens_the_app_once_and_not_at_all_once_expired()
    {
        var (_, _, ticketUri) = await TicketAsync(portal.AppOne);
        using var first = portal.Browser(AppOneHost, new CookieContainer());
        Assert.Equal(HttpStatusCode.Redirect, (await first.GetAsync(ticketUri.PathAndQuery)).StatusCode);
        using var second = portal.Browser(AppOneHost, new CookieContainer());
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync(ticketUri.PathAndQuery)).StatusCode);

        // A ticket issued 61 seconds ago, by the same handover and keys, has expired.
        await using var scope = portal.Services.CreateAsyncScope();
        var handover = new SignInHandover(
            scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>(),
            scope.ServiceProvider.GetRequiredService<StreamSpace.Infrastructure.Data.StreamSpaceDb>(),
            new ShiftedTime(TimeSpan.FromSeconds(-61)));
        var expired = handover.Issue(portal.Acme.Tenant!.Id, portal.Acme.Admin!.Id, SignInHandover.SessionAudience(portal.AppOne));
        using var late = portal.Browser(AppOneHost, new CookieContainer());
        Assert.Equal(HttpStatusCode.Unauthorized, (await late.GetAsync("/_streamspace/enter?ticket=" + Uri.EscapeDataString(expired))).StatusCode);

        // Nor does a portal sign-in ticket open an app.
        var signIn = handover.Issue(portal.Acme.Tenant!.Id, portal.Acme.Admin!.Id);
        Assert.Equal(HttpStatusCode.Unauthorized, (await late.GetAsync("/_streamspace/enter?ticket=" + Uri.EscapeDataString(signIn))).StatusCode);
    }

    [Fact]
    public async Task A_session_that_is_not_running_gets_the_viewer_and_no_ticket()
    {
        using var ada = await SignedInAdaAsync(new CookieContainer());
        var response = await ada.GetAsync($"/sessions/{portal.AppAsleep}/view");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"overlay\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("_streamspace/enter", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await ada.GetAsync($"/sessions/{portal.AppAsleep}/view?handler=Enter")).StatusCode);
    }

    [Fact]
    public async Task The_viewer_frames_the_app_under_the_same_idle_countdown_and_keep_working_as_a_vnc_session()
    {
        using var ada = await SignedInAdaAsync(new CookieContainer());
        var response = await ada.GetAsync($"/sessions/{portal.AppOne}/view");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"data-app-url=\"/sessions/{portal.AppOne}/view?handler=Enter\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"idle-banner\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"keep-working\"", html, StringComparison.Ordinal);
        Assert.Contains("data-keep-working-url=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("_streamspace/enter", html, StringComparison.Ordinal);
    }

    private async Task<HttpClient> SignedInAdaAsync(CookieContainer cookies)
    {
        var ada = portal.Browser("acme.localhost", cookies);
        await ada.SignInAsync(TwoTenantsPortal.AcmeAdmin, Passwords.Good);
        return ada;
    }

    private async Task<(CookieContainer Cookies, HttpResponseMessage View, Uri Ticket)> TicketAsync(Guid session)
    {
        var cookies = new CookieContainer();
        using var ada = await SignedInAdaAsync(cookies);
        var view = await ada.GetAsync($"/sessions/{session}/view?handler=Enter");
        Assert.Equal(HttpStatusCode.Redirect, view.StatusCode);
        var ticket = view.Headers.Location!;
        Assert.Equal("/_streamspace/enter", ticket.AbsolutePath);
        Assert.EndsWith(".acme.localhost", ticket.Host, StringComparison.Ordinal);
        return (cookies, view, ticket);
    }

    private async Task<(CookieContainer Cookies, HttpResponseMessage Enter)> EnterAsync(Guid session)
    {
        var (cookies, _, ticket) = await TicketAsync(session);
        using var app = portal.Browser(ticket.Host, cookies);
        return (cookies, await app.GetAsync(ticket.PathAndQuery));
    }

    private sealed class ShiftedTime(TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + by;
    }
}
