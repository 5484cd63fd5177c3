extern alias workers;

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Observability;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Sessions.Kubernetes;
using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Sessions;
using StreamSpace.Tests.Integration.LocalRuntime;
using StreamSpace.Tests.Integration.Streaming;
using SessionJobs = workers::StreamSpace.Workers.Jobs.SessionJobs;

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
    public async Task An_image_that_cannot_be_pulled_fails_the_session_with_the_reason_and_leaves_no_deployment()
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

        // Web's runtime is a different instance from the job's: it finds the namespace through the database.
        var password = await portal.Services.GetRequiredService<ISessionRuntime>().ReadVncPasswordAsync(sessionId, CancellationToken.None);

        // The pod's Xvnc, played by a real Xvnc on loopback TCP with the password the Secret holds.
        var port = FreeTcpPort();
        await using var display = await XvncDisplay.StartAsync(password, "-rfbport", port.ToString(CultureInfo.InvariantCulture), "-localhost");
        await using var upstream = await RfbUpstream.ConnectAsync(
            new SessionEndpoint(Domain.Templates.StreamProtocol.Rfb, $"tcp:127.0.0.1:{port}"), password, CancellationToken.None);
        var serverInit = await upstream.InitialiseAsync(CancellationToken.None);
        Assert.Equal(800, (serverInit[0] << 8) | serverInit[1]);
    }

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
