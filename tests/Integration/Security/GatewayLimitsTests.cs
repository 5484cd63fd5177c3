using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Tests.Integration.Api;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Integration.Streaming;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>What one member or one token can hold open in the Web process, and what an anonymous scraper learns.</summary>
public sealed class GatewayLimitsTests(ApiPortal portal) : IClassFixture<ApiPortal>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly int StreamsPerMember = new StreamGatewayOptions().MaxStreamsPerMember;
    private static readonly int EventStreamsPerToken = new StreamGatewayOptions().MaxEventStreamsPerToken;

    [Fact]
    public async Task A_member_who_already_holds_the_most_streams_allowed_is_refused_another_with_429()
    {
        await using var session = GatewayFakeSession.Start();
        var id = await RunningSessionAsync(session.Endpoint.Address);
        var cookie = await SignInCookieAsync();
        var viewers = new List<TestViewer>();
        try
        {
            using var timeout = new CancellationTokenSource(Patience);
            for (var i = 0; i < StreamsPerMember; i++)
            {
                var viewer = new TestViewer(await Client(cookie).ConnectAsync(StreamUri(id), timeout.Token));
                viewers.Add(viewer);
                await viewer.HandshakeAsync(timeout.Token);
            }

            var refused = await Assert.ThrowsAnyAsync<Exception>(() => Client(cookie).ConnectAsync(StreamUri(id), timeout.Token));

            Assert.Contains("429", refused.Message, StringComparison.Ordinal);
            Assert.Equal(StreamsPerMember, session.Accepted);
        }
        finally
        {
            foreach (var viewer in viewers)
            {
                await viewer.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_token_that_already_holds_the_most_event_streams_allowed_is_refused_another_with_429()
    {
        // An event stream sends its headers with the first session, so Carol has one.
        await portal.CarolSessionAsync(SessionState.Running);
        using var http = await portal.ApiClientAsync(portal.CarolClient);
        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < EventStreamsPerToken; i++)
            {
                var response = await http.GetAsync("/api/v1/sessions/events", HttpCompletionOption.ResponseHeadersRead);
                open.Add(response);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            using var refused = await http.GetAsync("/api/v1/sessions/events", HttpCompletionOption.ResponseHeadersRead);

            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Contains($"already has {EventStreamsPerToken} event streams open", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            open.ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public async Task An_anonymous_GET_of_metrics_on_the_web_port_reveals_no_tenant_slug()
    {
        using var anonymous = portal.ClientFor(null);
        using var scraper = portal.ClientFor(null);
        scraper.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PortalFactory.MetricsScrapeToken);
        await RunningSessionAsync("unix:/nowhere");

        using var response = await anonymous.GetAsync("/metrics");
        var scraped = await scraper.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(portal.Acme.Tenant!.Slug, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains($"tenant=\"{portal.Acme.Tenant!.Slug}\"", scraped, StringComparison.Ordinal);
    }

    private async Task<Guid> RunningSessionAsync(string endpoint)
    {
        await using var db = portal.ContextOf(portal.Acme);
        var template = await db.Templates.FirstAsync(t => t.TenantId == null);
        var now = DateTimeOffset.UtcNow;
        var session = Session.Create(portal.Acme.Admin!.Id, template.Id, "g-" + Guid.NewGuid().ToString("N")[..6], 256L << 20, 250, now);
        session.Start("starting", now);
        session.MarkRunning(endpoint, now, TimeSpan.FromHours(1));
        db.Sessions.Add(session);
        await db.SaveChangesAsync();
        return session.Id;
    }

    private async Task<string> SignInCookieAsync()
    {
        var response = await portal.ClientFor("acme").SignInAsync(TwoTenantsPortal.AcmeAdmin, Passwords.Good);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("streamspace=", StringComparison.Ordinal)).Split(';')[0];
    }

    private WebSocketClient Client(string cookie)
    {
        var client = portal.Server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            request.Headers.Cookie = cookie;
            request.Headers.Origin = "http://acme.localhost";
        };
        return client;
    }

    private static Uri StreamUri(Guid id) => new($"ws://acme.localhost/sessions/{id}/stream");
}
