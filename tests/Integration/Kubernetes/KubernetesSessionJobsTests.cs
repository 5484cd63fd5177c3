extern alias workers;

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Observability;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Runtimes;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Sessions;
using StreamSpace.Tests.Integration.LocalRuntime;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Integration.Streaming;
using StreamSpace.Tests.Support;
using SessionJobs = workers::StreamSpace.Workers.Jobs.SessionJobs;
using SessionResourceSync = workers::StreamSpace.Workers.Kubernetes.SessionResourceSync;

namespace StreamSpace.Tests.Integration.Kubernetes;

/// <summary>The real lifecycle jobs and PostgreSQL, with the Kubernetes runtime against the fake API server.</summary>
public sealed class KubernetesSessionJobsTests(KubernetesPortal portal) : IClassFixture<KubernetesPortal>
{
    private const string Namespace = "ss-acme";

    [Fact]
    public async Task A_launch_runs_once_the_pod_is_ready_and_hibernate_resume_terminate_follow()
    {
        var sessionId = await LaunchAsync("firefox");
        var selector = SessionLabels.SessionSelector(sessionId);

        var provision = RunJobAsync((jobs, tenant) => jobs.ProvisionAsync(tenant, sessionId, CancellationToken.None));
        await Eventually.TrueAsync(() => ProgressOf(sessionId) == (SessionState.Starting, "Scheduling…"), "the viewer would show Scheduling…");
        portal.Api.MarkPodsReady(Namespace, selector);
        await provision.WaitAsync(TimeSpan.FromSeconds(20));

        var running = await LoadAsync(sessionId);
        Assert.Equal(SessionState.Running, running.State);
        Assert.Equal($"http://{SessionLabels.Workload(sessionId)}.ss-acme.svc.cluster.local:3000", running.Endpoint);
        var resource = portal.Api.Get("sessions", Namespace, running.Name)!;
        Assert.Equal("Running", resource["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("ada@acme.test", resource["spec"]!["user"]!.GetValue<string>());

        await AsMemberAsync(sessions => sessions.HibernateAsync(portal.Acme.Admin!.Id, sessionId, CancellationToken.None));
        await RunJobAsync((jobs, tenant) => jobs.HibernateAsync(tenant, sessionId, CancellationToken.None));
        Assert.Equal(SessionState.Hibernated, (await LoadAsync(sessionId)).State);
        Assert.Empty(portal.Api.List("pods", Namespace, selector));

        await AsMemberAsync(sessions => sessions.ResumeAsync(portal.Acme.Admin!.Id, sessionId, CancellationToken.None));
        var resume = RunJobAsync((jobs, tenant) => jobs.ResumeAsync(tenant, sessionId, CancellationToken.None));
        await Eventually.TrueAsync(() => portal.Api.List("pods", Namespace, selector).Count == 1, "the session's pod is back");
        portal.Api.MarkPodsReady(Namespace, selector);
        await resume.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(SessionState.Running, (await LoadAsync(sessionId)).State);

        await AsMemberAsync(sessions => sessions.TerminateAsync(portal.Acme.Admin!.Id, sessionId, CancellationToken.None));
        await RunJobAsync((jobs, tenant) => jobs.TerminateAsync(tenant, sessionId, CancellationToken.None));
        Assert.Equal(SessionState.Terminated, (await LoadAsync(sessionId)).State);
        Assert.Null(portal.Api.Get("deployments", Namespace, SessionLabels.Workload(sessionId)));
        Assert.NotNull(portal.Api.Get("persistentvolumeclaims", Namespace, SessionLabels.Home(portal.Acme.Admin!.Id)));
    }

    [Fact]
    public async Task An_image_that_cannot_be_pulled_fails_the_session_with_the_reason_leaves_no_deployment_and_its_resource_says_why()
    {
        var sessionId = await LaunchAsync("firefox");
        var selector = SessionLabels.SessionSelector(sessionId);
        var provision = RunJobAsync((jobs, tenant) => jobs.ProvisionAsync(tenant, sessionId, CancellationToken.None));
        await Eventually.TrueAsync(() => portal.Api.List("pods", Namespace, selector).Count == 1, "the session's pod exists");

        portal.Api.SetPodStatus(Namespace, selector, """{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"True"}],"containerStatuses":[{"name":"session","ready":false,"restartCount":0,"image":"x","imageID":"","state":{"waiting":{"reason":"ErrImagePull","message":"manifest unknown"}}}]}""");
        await provision.WaitAsync(TimeSpan.FromSeconds(20));

        var session = await LoadAsync(sessionId);
        Assert.Equal(SessionState.Failed, session.State);
        Assert.Equal("The image lscr.io/linuxserver/firefox:latest cannot be pulled (ErrImagePull): manifest unknown.", session.FailureReason);
        Assert.Null(portal.Api.Get("deployments", Namespace, SessionLabels.Workload(sessionId)));
        var status = portal.Api.Get("sessions", Namespace, session.Name)!["status"]!;
        Assert.Equal(("Failed", session.FailureReason), (status["phase"]!.GetValue<string>(), status["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_gateway_completes_vnc_auth_over_tcp_with_the_password_from_the_sessions_secret()
    {
        var sessionId = await LaunchAsync(KubernetesPortal.VncTemplate);
        var selector = SessionLabels.SessionSelector(sessionId);
        var provision = RunJobAsync((jobs, tenant) => jobs.ProvisionAsync(tenant, sessionId, CancellationToken.None));
        await Eventually.TrueAsync(() => portal.Api.List("pods", Namespace, selector).Count == 1, "the session's pod exists");
        portal.Api.MarkPodsReady(Namespace, selector);
        await provision.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.StartsWith("tcp:", (await LoadAsync(sessionId)).Endpoint, StringComparison.Ordinal);

        // The Secret holds a password, and the Deployment hands exactly that Secret's key to the pod's VNC server.
        var secret = portal.Api.Get("secrets", Namespace, SessionLabels.VncSecret(sessionId));
        Assert.NotNull(secret);
        var inSecret = Encoding.UTF8.GetString(Convert.FromBase64String(secret["data"]![SessionManifests.VncPasswordKey]!.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(inSecret));
        var containers = portal.Api.Get("deployments", Namespace, SessionLabels.Workload(sessionId))!["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        var variable = Assert.Single(containers.SelectMany(c => c!["env"]!.AsArray()), e => e!["name"]!.GetValue<string>() == ImageConventions.VncPasswordVariable)!;
        Assert.Null(variable["value"]);
        var reference = variable["valueFrom"]!["secretKeyRef"]!;
        Assert.Equal((SessionLabels.VncSecret(sessionId), SessionManifests.VncPasswordKey), (reference["name"]!.GetValue<string>(), reference["key"]!.GetValue<string>()));

        // Web's runtime is a different instance from the job's: the address names the namespace.
        var password = await portal.Services.GetRequiredService<ISessionRuntime>().ReadVncPasswordAsync(new SessionAddress("acme", sessionId), CancellationToken.None);
        Assert.Equal(inSecret, password);

        // The pod's Xvnc, played by a real Xvnc on loopback TCP with the Secret's password and nothing else (no security None).
        // The session's address is the Service's DNS name; the test resolves it to that loopback port.
        var port = FreeTcpPort();
        await using var display = await XvncDisplay.StartAsync(inSecret, "-rfbport", port.ToString(CultureInfo.InvariantCulture), "-localhost");
        await using (var db = portal.ContextOf(portal.Acme))
        {
            await db.Database.ExecuteSqlAsync($"UPDATE sessions SET endpoint = {$"tcp:127.0.0.1:{port}"} WHERE id = {sessionId}");
        }

        // The member's browser through the portal's gateway, which answers VncAuth upstream with the password it reads itself.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var signIn = await portal.ClientFor("acme").SignInAsync("ada@acme.test", Passwords.Good);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("streamspace=", StringComparison.Ordinal)).Split(';')[0];
        var client = portal.Server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            request.Headers.Cookie = cookie;
            request.Headers.Origin = "http://acme.localhost";
        };
        await using var viewer = new TestViewer(await client.ConnectAsync(new Uri($"ws://acme.localhost/sessions/{sessionId}/stream"), timeout.Token));
        await viewer.HandshakeAsync(timeout.Token);
        Assert.Equal((800, 600), (viewer.Width, viewer.Height));
        await viewer.RequestUpdateAsync(false, 0, 0, 1, 1, timeout.Token);
        await viewer.ReadFramebufferUpdateAsync(timeout.Token);
    }

    [Fact]
    public async Task The_resource_sync_writes_the_last_input_and_the_viewer_url_once_and_again_only_when_input_changes()
    {
        var (sessionId, name) = await RunningSessionAsync();
        var input = (await LoadAsync(sessionId)).StartedAt!.Value.AddMinutes(3);
        await RecordInputAsync(sessionId, input);

        await SyncAsync();

        var status = portal.Api.Get("sessions", Namespace, name)!["status"]!;
        Assert.Equal(("Running", $"https://acme.localhost:8443/sessions/{sessionId:D}/view"), (status["phase"]!.GetValue<string>(), status["url"]!.GetValue<string>()));
        Assert.Equal(SessionStatusWriter.Truncate(input), LastActivityOf(name));
        var writes = StatusWrites(name);
        await SyncAsync();
        Assert.Equal(writes, StatusWrites(name));

        await RecordInputAsync(sessionId, input.AddMinutes(1));
        await SyncAsync();
        Assert.Equal(writes + 1, StatusWrites(name));
        Assert.Equal(SessionStatusWriter.Truncate(input.AddMinutes(1)), LastActivityOf(name));
    }

    [Fact]
    public async Task The_resource_sync_shows_the_phase_the_portal_holds()
    {
        var (sessionId, name) = await RunningSessionAsync();

        await AsMemberAsync(sessions => sessions.HibernateAsync(portal.Acme.Admin!.Id, sessionId, CancellationToken.None));
        await SyncAsync();

        Assert.Equal("Hibernating", portal.Api.Get("sessions", Namespace, name)!["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_resource_sync_retries_a_conflict_and_passes_over_a_resource_deleted_meanwhile()
    {
        var (sessionId, name) = await RunningSessionAsync();
        await SyncAsync();
        var input = (await LoadAsync(sessionId)).StartedAt!.Value.AddMinutes(1);
        await RecordInputAsync(sessionId, input);
        portal.Api.FailNextWrite("sessions", HttpStatusCode.Conflict);

        Assert.Equal(1, await SyncAsync());
        Assert.Equal(SessionStatusWriter.Truncate(input), LastActivityOf(name));

        await RecordInputAsync(sessionId, input.AddMinutes(1));
        portal.Api.FailNextWrite("sessions", HttpStatusCode.NotFound, "NotFound");
        Assert.Equal(0, await SyncAsync());
        Assert.Equal(SessionStatusWriter.Truncate(input), LastActivityOf(name));
    }

    private async Task<(Guid SessionId, string Name)> RunningSessionAsync()
    {
        var sessionId = await LaunchAsync("firefox");
        var provision = RunJobAsync((jobs, tenant) => jobs.ProvisionAsync(tenant, sessionId, CancellationToken.None));
        await Eventually.TrueAsync(() => portal.Api.List("pods", Namespace, SessionLabels.SessionSelector(sessionId)).Count == 1, "the session's pod exists");
        portal.Api.MarkPodsReady(Namespace, SessionLabels.SessionSelector(sessionId));
        await provision.WaitAsync(TimeSpan.FromSeconds(20));
        var session = await LoadAsync(sessionId);
        Assert.Equal(SessionState.Running, session.State);
        return (sessionId, session.Name);
    }

    private async Task RecordInputAsync(Guid sessionId, DateTimeOffset at)
    {
        await using var db = portal.ContextOf(portal.Acme);
        var session = await db.Sessions.SingleAsync(s => s.Id == sessionId);
        session.RecordInput(at);
        await db.SaveChangesAsync();
    }

    private async Task<int> SyncAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await ActivatorUtilities.CreateInstance<SessionResourceSync>(scope.ServiceProvider).RunAsync(CancellationToken.None);
    }

    private DateTimeOffset? LastActivityOf(string name) =>
        portal.Api.Get("sessions", Namespace, name)!["status"]!["lastActivity"] is { } value
            ? DateTimeOffset.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture)
            : null;

    private int StatusWrites(string name) =>
        portal.Api.Requests.Count(r => r.StartsWith($"PATCH /apis/stream.space/v1alpha1/namespaces/{Namespace}/sessions/{name}/status", StringComparison.Ordinal));

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<Guid> LaunchAsync(string template)
    {
        Guid id = default;
        await AsMemberAsync(async sessions => id = (await sessions.LaunchAsync(portal.Acme.Admin!.Id, template, CancellationToken.None)).Id);
        return id;
    }

    private Task AsMemberAsync(Func<MemberSessions, Task> action) => portal.AsMemberAsync(portal.Acme.Tenant!, action);

    private Task RunJobAsync(Func<SessionJobs, Guid, Task> job) => portal.RunSessionJobAsync(portal.Acme.Tenant!.Id, job);

    private (SessionState, string?) ProgressOf(Guid sessionId)
    {
        using var db = portal.ContextOf(portal.Acme);
        return db.Sessions.AsNoTracking().Where(s => s.Id == sessionId).Select(s => new { s.State, s.Progress }).AsEnumerable().Select(s => (s.State, s.Progress)).Single();
    }

    private async Task<Session> LoadAsync(Guid sessionId)
    {
        await using var db = portal.ContextOf(portal.Acme);
        return await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == sessionId);
    }
}
