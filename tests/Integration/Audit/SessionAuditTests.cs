extern alias workers;

using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Tests.Integration.Lifecycle;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Integration.Streaming;
using IdleSweep = workers::StreamSpace.Workers.Jobs.IdleSweep;
using QuotaEnforcement = workers::StreamSpace.Workers.Jobs.QuotaEnforcement;

namespace StreamSpace.Tests.Integration.Audit;

/// <summary>
/// Every session action writes exactly one event, whoever does it: the member through the portal (with their address),
/// or the sweeps (as <c>system</c>, with the reason). Sessions run in real sandboxes, driven by the real Hangfire server.
/// </summary>
public sealed class SessionAuditTests(LifecyclePortal portal) : IClassFixture<LifecyclePortal>, IAsyncLifetime
{
    private const string Admin = "ada@acme.test";
    private HttpClient _ada = null!;

    public async Task InitializeAsync()
    {
        await portal.SetTierAsync("pro", l => l with { MaxSessions = 5, IdleTimeout = TimeSpan.FromMinutes(30), MaxSessionDuration = TimeSpan.FromHours(8) });
        _ada = portal.ClientFor("acme").FromClientAddress();
        await _ada.SignInAsync(Admin, Passwords.Good);
    }

    public async Task DisposeAsync()
    {
        await using var db = portal.AcmeDb();
        foreach (var id in await db.Sessions.Where(s => s.State == SessionState.Running || s.State == SessionState.Hibernated).Select(s => s.Id).ToListAsync())
        {
            await ActAsync("Terminate", id);
            await portal.WaitForStateAsync(id, SessionState.Terminated);
        }
    }

    [Fact]
    public async Task A_launch_writes_one_event_naming_the_template()
    {
        var session = await LaunchAsync();

        var recorded = await AuditRecords.SingleAsync(portal.AcmeDb(), AuditActions.SessionLaunched, Target(session));
        AssertByAda(recorded, "xterm");
    }

    [Fact]
    public async Task Hibernating_writes_one_event_with_reason_user_and_the_job_adds_none()
    {
        var session = await LaunchAsync();

        await ActAsync("Hibernate", session.Id);
        await portal.WaitForStateAsync(session.Id, SessionState.Hibernated);

        AssertByAda(await AuditRecords.SingleAsync(portal.AcmeDb(), AuditActions.SessionHibernated, Target(session)), "user");
    }

    [Fact]
    public async Task Resuming_writes_one_event()
    {
        var session = await LaunchAsync();
        await ActAsync("Hibernate", session.Id);
        await portal.WaitForStateAsync(session.Id, SessionState.Hibernated);

        await ActAsync("Resume", session.Id);
        await portal.WaitForStateAsync(session.Id, SessionState.Running);

        AssertByAda(await AuditRecords.SingleAsync(portal.AcmeDb(), AuditActions.SessionResumed, Target(session)), null);
    }

    [Fact]
    public async Task Terminating_writes_one_event()
    {
        var session = await LaunchAsync();

        await ActAsync("Terminate", session.Id);
        await portal.WaitForStateAsync(session.Id, SessionState.Terminated);

        AssertByAda(await AuditRecords.SingleAsync(portal.AcmeDb(), AuditActions.SessionTerminated, Target(session)), null);
    }

    [Fact]
    public async Task Keep_awake_writes_one_event_saying_on_and_a_repeated_click_writes_none()
    {
        var session = await LaunchAsync();

        await ActAsync("KeepAwake", session.Id, "&on=true");
        await ActAsync("KeepAwake", session.Id, "&on=true");

        AssertByAda(await AuditRecords.SingleAsync(portal.AcmeDb(), AuditActions.SessionKeepAwake, Target(session)), "on");
    }

    [Fact]
    public async Task Opening_and_closing_the_stream_write_one_connect_and_one_disconnect_event()
    {
        var session = await LaunchAsync();
        var signIn = await portal.ClientFor("acme").SignInAsync(Admin, Passwords.Good);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("streamspace=", StringComparison.Ordinal)).Split(';')[0];
        var client = portal.Server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            request.Headers.Cookie = cookie;
            request.Headers["X-Forwarded-For"] = AuditRecords.ClientAddress;
        };

        await using (var viewer = new TestViewer(await client.ConnectAsync(new Uri($"ws://acme.localhost/sessions/{session.Id}/stream"), CancellationToken.None)))
        {
            await viewer.HandshakeAsync(CancellationToken.None);
            AssertByAda(await AuditRecords.EventuallySingleAsync(portal.AcmeDb, AuditActions.StreamConnected, Target(session)), null);
            await viewer.CloseOutputAsync();
            Assert.True(await viewer.WaitForCloseAsync(TimeSpan.FromSeconds(10)), "The gateway did not close the stream.");
        }

        AssertByAda(await AuditRecords.EventuallySingleAsync(portal.AcmeDb, AuditActions.StreamDisconnected, Target(session)), null);
        await using var db = portal.AcmeDb();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == AuditActions.StreamConnected && e.Target == Target(session)));
    }

    [Fact]
    public async Task The_idle_sweep_writes_one_event_as_system_with_reason_idle()
    {
        await portal.SetTierAsync("pro", l => l with { IdleTimeout = TimeSpan.FromSeconds(2) });
        var session = await LaunchAsync();

        await SweepUntilHibernatedAsync(session.Id);

        AssertBySystem(await AuditRecords.SingleAsync(portal.AcmeDb(), AuditActions.SessionHibernated, Target(session)), "idle 2s");
    }

    [Fact]
    public async Task The_max_duration_writes_one_event_as_system_with_reason_max_duration()
    {
        await portal.SetTierAsync("pro", l => l with { MaxSessionDuration = TimeSpan.FromSeconds(2) });
        var session = await LaunchAsync();

        await SweepUntilHibernatedAsync(session.Id);

        AssertBySystem(await AuditRecords.SingleAsync(portal.AcmeDb(), AuditActions.SessionHibernated, Target(session)), "max duration 2s");
    }

    [Fact]
    public async Task Quota_enforcement_writes_one_event_as_system_with_reason_quota()
    {
        await LaunchAsync();
        var newer = await LaunchAsync();
        await portal.SetTierAsync("pro", l => l with { MaxSessions = 1 });

        await using (var scope = portal.Workers.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<QuotaEnforcement>().RunAsync(CancellationToken.None);
        }

        await portal.WaitForStateAsync(newer.Id, SessionState.Hibernated);
        AssertBySystem(await AuditRecords.SingleAsync(portal.AcmeDb(), AuditActions.SessionHibernated, Target(newer)), "quota");
    }

    private static string Target(Session session) => $"session/{session.Name}";

    private void AssertByAda(AuditEvent recorded, string? details) =>
        Assert.Equal((Admin, portal.Acme.Admin!.Id, AuditRecords.ClientAddress, details), (recorded.Actor, recorded.ActorId, recorded.SourceIp, recorded.Details));

    private static void AssertBySystem(AuditEvent recorded, string details) =>
        Assert.Equal((AuditTrail.SystemActor, (Guid?)null, (string?)null, details), (recorded.Actor, recorded.ActorId, recorded.SourceIp, recorded.Details));

    /// <summary>Launches xterm through the catalog, as the member's browser does, and waits until it runs.</summary>
    private async Task<Session> LaunchAsync()
    {
        var response = await _ada.PostFormAsync("/catalog", new Dictionary<string, string>(), handlerQuery: "?handler=Launch&template=xterm", htmx: true);
        var id = Guid.Parse(response.Headers.GetValues("HX-Redirect").Single().Split('/')[2]);
        return await portal.WaitForStateAsync(id, SessionState.Running);
    }

    private async Task ActAsync(string handler, Guid id, string extra = "")
    {
        var response = await _ada.PostFormAsync("/sessions", new Dictionary<string, string>(), handlerQuery: $"?handler={handler}&id={id}{extra}");
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Redirect, $"{handler}: {(int)response.StatusCode}");
    }

    private async Task SweepUntilHibernatedAsync(Guid id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await portal.SessionAsync(id)).State == SessionState.Running)
        {
            Assert.True(DateTime.UtcNow < deadline, "The sweep never hibernated the session.");
            await using (var scope = portal.Workers.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<IdleSweep>().RunAsync(CancellationToken.None);
            }

            await Task.Delay(250);
        }

        await portal.WaitForStateAsync(id, SessionState.Hibernated);
    }
}
