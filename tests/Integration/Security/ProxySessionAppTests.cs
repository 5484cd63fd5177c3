using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Tests.Integration.Kubernetes;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>
/// A session's web app on its own host: another tenant's session app is a sibling host, the same site, so only the
/// <c>Origin</c> check keeps its pages from opening a WebSocket into Ada's app with Ada's cookie.
/// </summary>
public sealed class ProxySessionAppTests(SessionAppPortal portal) : IClassFixture<SessionAppPortal>
{
    internal const string AppOneHost = "app-one.acme.localhost";

    [Theory]
    [InlineData("http://evil.initech.localhost")]
    [InlineData("http://app-two.acme.localhost")]
    [InlineData("http://acme.localhost")]
    [InlineData("null")]
    public async Task A_WebSocket_upgrade_from_a_foreign_origin_is_refused(string foreign)
    {
        var cookie = await EnterAsync(portal);

        using var socket = await portal.UpgradeFromAsync(AppOneHost, cookie, foreign == "null" ? foreign : $"{foreign}:{portal.Port}");

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
        Assert.NotEqual(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task A_WebSocket_upgrade_from_a_page_on_another_port_of_the_same_host_is_refused()
    {
        var cookie = await EnterAsync(portal);

        using var socket = await portal.UpgradeFromAsync(AppOneHost, cookie, $"http://{AppOneHost}:{portal.Port + 1}");

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task A_WebSocket_upgrade_from_the_session_hosts_own_pages_is_accepted()
    {
        var cookie = await EnterAsync(portal);

        using var socket = await portal.UpgradeFromAsync(AppOneHost, cookie, $"http://{AppOneHost}:{portal.Port}");

        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
        Assert.Equal(WebSocketState.Open, socket.State);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    [Fact]
    public async Task The_session_app_cookie_is_same_site_strict()
    {
        var setCookie = await EnterSetCookieAsync(portal);

        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Redeems a ticket for Ada on app-one's host and returns the <c>Set-Cookie</c> it answers.</summary>
    internal static async Task<string> EnterSetCookieAsync(SessionAppPortal portal)
    {
        string ticket;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var handover = new SignInHandover(
                scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>(),
                scope.ServiceProvider.GetRequiredService<StreamSpaceDb>(),
                TimeProvider.System);
            ticket = handover.Issue(portal.Acme.Tenant!.Id, portal.Acme.Admin!.Id, SignInHandover.SessionAudience(portal.AppOne));
        }

        using var app = portal.Browser(AppOneHost);
        var enter = await app.GetAsync("/_streamspace/enter?ticket=" + Uri.EscapeDataString(ticket));
        Assert.Equal(HttpStatusCode.Redirect, enter.StatusCode);
        return Assert.Single(enter.Headers.GetValues("Set-Cookie"));
    }

    private static async Task<string> EnterAsync(SessionAppPortal portal) =>
        (await EnterSetCookieAsync(portal)).Split(';')[0];

}
