using System.Net;
using Microsoft.AspNetCore.TestHost;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Streaming;

/// <summary>Who may open <c>/sessions/{id}/stream</c>: everything but the owner's same-origin upgrade is refused before it.</summary>
public sealed class StreamEndpointTests(TwoTenantsPortal portal) : IClassFixture<TwoTenantsPortal>
{
    [Fact]
    public async Task Without_a_sign_in_the_stream_answers_404()
    {
        var response = await portal.ClientFor("acme").GetAsync($"/sessions/{portal.AcmeSession}/stream");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Another_member_of_the_same_tenant_gets_404_for_the_stream_and_the_viewer()
    {
        await portal.AddMemberAsync(portal.Acme, "eve@acme.test");
        var eve = portal.ClientFor("acme");
        await eve.SignInAsync("eve@acme.test", Passwords.Good);

        Assert.Equal(HttpStatusCode.NotFound, (await eve.GetAsync($"/sessions/{portal.AcmeSession}/stream")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.GetAsync($"/sessions/{portal.AcmeSession}/view")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.GetAsync($"/sessions/{portal.AcmeSession}/view?handler=Status")).StatusCode);
    }

    [Fact]
    public async Task Another_tenants_session_id_answers_404_to_its_owners_peer_on_their_own_host()
    {
        var ada = portal.ClientFor("acme");
        await ada.SignInAsync(TwoTenantsPortal.AcmeAdmin, Passwords.Good);

        Assert.Equal(HttpStatusCode.NotFound, (await ada.GetAsync($"/sessions/{portal.InitechSession}/stream")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ada.GetAsync($"/sessions/{portal.InitechSession}/view")).StatusCode);
    }

    [Fact]
    public async Task The_owner_without_a_websocket_upgrade_gets_400()
    {
        var ada = portal.ClientFor("acme");
        await ada.SignInAsync(TwoTenantsPortal.AcmeAdmin, Passwords.Good);

        Assert.Equal(HttpStatusCode.BadRequest, (await ada.GetAsync($"/sessions/{portal.AcmeSession}/stream")).StatusCode);
    }

    [Fact]
    public async Task The_owners_upgrade_to_a_session_that_is_not_running_is_refused_with_409()
    {
        var cookie = await SignInCookieAsync();
        var client = WebSocketClient(cookie, origin: "http://acme.localhost");

        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            client.ConnectAsync(new Uri($"ws://acme.localhost/sessions/{portal.AcmeSession}/stream"), CancellationToken.None));

        Assert.Contains("409", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upgrade_from_another_origin_is_refused_with_400()
    {
        var cookie = await SignInCookieAsync();
        var client = WebSocketClient(cookie, origin: "http://evil.example");

        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            client.ConnectAsync(new Uri($"ws://acme.localhost/sessions/{portal.AcmeSession}/stream"), CancellationToken.None));

        Assert.Contains("400", error.Message, StringComparison.Ordinal);
    }

    private async Task<string> SignInCookieAsync()
    {
        var response = await portal.ClientFor("acme").SignInAsync(TwoTenantsPortal.AcmeAdmin, Passwords.Good);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("streamspace=", StringComparison.Ordinal)).Split(';')[0];
    }

    private WebSocketClient WebSocketClient(string cookie, string origin)
    {
        var client = portal.Server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            request.Headers.Cookie = cookie;
            request.Headers.Origin = origin;
        };
        return client;
    }
}
