using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Tests.Integration.LocalRuntime;

namespace StreamSpace.Tests.Integration.Kubernetes;

public sealed class KubernetesRuntimeTests : IAsyncLifetime
{
    private const string Namespace = "ss-acme";
    private readonly KubernetesRuntimeFixture _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    private FakeKubernetesApi Api => _cluster.Api;

    [Fact]
    public async Task Launch_creates_home_claim_session_resource_deployment_service_and_secret_and_is_ready_when_the_pod_is()
    {
        var spec = KubernetesRuntimeFixture.Spec();
        var progress = new RecordedProgress();
        var launch = _cluster.Runtime.EnsureStartedAsync(spec, progress, CancellationToken.None);

        await Eventually.TrueAsync(
            () => Api.List("pods", Namespace, SessionLabels.SessionSelector(spec.SessionId)).Count == 1 && progress.Reports.Contains("Scheduling…"),
            "the Deployment has its pod and the launch has looked at it");
        Assert.False(launch.IsCompleted);
        Api.MarkPodsReady(Namespace, SessionLabels.SessionSelector(spec.SessionId));
        var endpoint = await launch.WaitAsync(TimeSpan.FromSeconds(10));

        var workload = SessionLabels.Workload(spec.SessionId);
        Assert.Equal($"tcp:{workload}.ss-acme.svc.cluster.local:5900", endpoint.Address);
        var resource = Api.Get("sessions", Namespace, "firefox-1a2b3c")!;
        Assert.Equal("Running", resource["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("john@acme.test", resource["spec"]!["user"]!.GetValue<string>());
        var owner = resource["metadata"]!["uid"]!.GetValue<string>();
        foreach (var (kind, name) in new[] { ("deployments", workload), ("services", workload), ("secrets", SessionLabels.VncSecret(spec.SessionId)) })
        {
            var item = Api.Get(kind, Namespace, name) ?? throw new Xunit.Sdk.XunitException($"{kind}/{name} was not created");
            Assert.Equal(owner, item["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>());
            Assert.Equal(spec.SessionId.ToString("D"), item["metadata"]!["labels"]![SessionLabels.Session]!.GetValue<string>());
            Assert.Equal("firefox", item["metadata"]!["labels"]![SessionLabels.Template]!.GetValue<string>());
        }

        var home = Api.Get("persistentvolumeclaims", Namespace, SessionLabels.Home(spec.MemberId))!;
        Assert.Equal("100Gi", home["spec"]!["resources"]!["requests"]!["storage"]!.GetValue<string>());
        Assert.Equal("ReadWriteMany", home["spec"]!["accessModes"]![0]!.GetValue<string>());
        Assert.Null(home["metadata"]!["ownerReferences"]);
        Assert.Equal(["Scheduling…", "Ready"], progress.Reports);
        Assert.Contains(Api.Requests, r => r.StartsWith("PATCH /apis/apps/v1/namespaces/ss-acme/deployments/", StringComparison.Ordinal) && r.Contains("fieldManager=streamspace", StringComparison.Ordinal) && r.Contains("force=true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Launch_reports_pulling_the_image_then_starting_the_app()
    {
        var spec = KubernetesRuntimeFixture.Spec();
        var progress = new RecordedProgress();
        var launch = _cluster.Runtime.EnsureStartedAsync(spec, progress, CancellationToken.None);
        var selector = SessionLabels.SessionSelector(spec.SessionId);
        await Eventually.TrueAsync(() => progress.Reports.Contains("Scheduling…"), "the launch reports scheduling");

        Api.SetPodStatus(Namespace, selector, """{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"True"}],"containerStatuses":[{"name":"session","ready":false,"restartCount":0,"image":"x","imageID":"","state":{"waiting":{"reason":"ContainerCreating"}}}]}""");
        await Eventually.TrueAsync(() => progress.Reports.Contains("Pulling image lscr.io/linuxserver/firefox:latest…"), "the launch reports the image pull");
        Api.SetPodStatus(Namespace, selector, """{"phase":"Running","conditions":[{"type":"PodScheduled","status":"True"},{"type":"Ready","status":"False"}],"containerStatuses":[{"name":"session","ready":false,"restartCount":0,"image":"x","imageID":"x","state":{"running":{}}}]}""");
        await Eventually.TrueAsync(() => progress.Reports.Contains("Starting Firefox…"), "the launch reports the app starting");
        Api.MarkPodsReady(Namespace, selector);

        await launch.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["Scheduling…", "Pulling image lscr.io/linuxserver/firefox:latest…", "Starting Firefox…", "Ready"], progress.Reports);
    }

    [Theory]
    [InlineData("""{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"True"}],"containerStatuses":[{"name":"session","ready":false,"restartCount":0,"image":"x","imageID":"","state":{"waiting":{"reason":"ImagePullBackOff","message":"Back-off pulling image"}}}]}""", "cannot be pulled")]
    [InlineData("""{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable","message":"0/3 nodes are available: 3 Insufficient memory"}]}""", "No node has room for it: 0/3 nodes are available: 3 Insufficient memory.")]
    [InlineData("""{"phase":"Running","conditions":[{"type":"PodScheduled","status":"True"}],"containerStatuses":[{"name":"session","ready":false,"restartCount":4,"image":"x","imageID":"x","state":{"waiting":{"reason":"CrashLoopBackOff"}},"lastState":{"terminated":{"exitCode":1,"reason":"Error"}}}]}""", "Firefox keeps crashing (restarted 4 times, last exit code 1 Error).")]
    public async Task A_pod_that_cannot_run_fails_the_launch_with_the_reason_in_words(string podStatus, string reason)
    {
        var spec = KubernetesRuntimeFixture.Spec();
        var launch = _cluster.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        await Eventually.TrueAsync(() => Api.List("pods", Namespace, SessionLabels.SessionSelector(spec.SessionId)).Count == 1, "the Deployment has its pod");

        Api.SetPodStatus(Namespace, SessionLabels.SessionSelector(spec.SessionId), podStatus);

        var failure = await Assert.ThrowsAsync<SessionStartException>(() => launch.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_running_sessions_resource_shows_its_viewer_url_and_when_it_became_active()
    {
        var spec = KubernetesRuntimeFixture.Spec();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        await StartAsync(spec);

        var status = Api.Get("sessions", Namespace, "firefox-1a2b3c")!["status"]!;
        Assert.Equal($"https://acme.streamspace.example.com/sessions/{spec.SessionId:D}/view", status["url"]!.GetValue<string>());
        var lastActivity = DateTimeOffset.Parse(status["lastActivity"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(lastActivity, before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_resuming_sessions_resource_says_Resuming_until_its_pod_is_ready()
    {
        var spec = KubernetesRuntimeFixture.Spec();
        await StartAsync(spec);
        await _cluster.Runtime.HibernateAsync(spec.Address, CancellationToken.None);

        var resume = _cluster.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);

        await Eventually.TrueAsync(() => Api.List("pods", Namespace, SessionLabels.SessionSelector(spec.SessionId)).Count == 1, "the Deployment is scaled back up");
        Assert.Equal("Resuming", Api.Get("sessions", Namespace, "firefox-1a2b3c")!["status"]!["phase"]!.GetValue<string>());
        Api.MarkPodsReady(Namespace, SessionLabels.SessionSelector(spec.SessionId));
        await resume.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("Running", Api.Get("sessions", Namespace, "firefox-1a2b3c")!["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failed_launch_keeps_its_resource_as_Failed_with_the_reason_after_the_terminate_that_follows()
    {
        var spec = KubernetesRuntimeFixture.Spec();
        var launch = _cluster.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        await Eventually.TrueAsync(() => Api.List("pods", Namespace, SessionLabels.SessionSelector(spec.SessionId)).Count == 1, "the Deployment has its pod");
        Api.SetPodStatus(Namespace, SessionLabels.SessionSelector(spec.SessionId), """{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable","message":"0/3 nodes are available: 3 Insufficient memory"}]}""");
        await Assert.ThrowsAsync<SessionStartException>(() => launch.WaitAsync(TimeSpan.FromSeconds(10)));

        await _cluster.Runtime.TerminateAsync(spec.Address, CancellationToken.None);

        var status = Api.Get("sessions", Namespace, "firefox-1a2b3c")!["status"]!;
        Assert.Equal("Failed", status["phase"]!.GetValue<string>());
        Assert.Contains("No node has room for it", status["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(Api.Get("deployments", Namespace, SessionLabels.Workload(spec.SessionId)));
        Assert.Null(Api.Get("services", Namespace, SessionLabels.Workload(spec.SessionId)));
    }

    [Fact]
    public async Task Hibernate_scales_to_zero_keeping_deployment_service_secret_and_home_and_resume_scales_back_to_one()
    {
        var spec = KubernetesRuntimeFixture.Spec();
        await StartAsync(spec);
        var workload = SessionLabels.Workload(spec.SessionId);

        await _cluster.Runtime.HibernateAsync(spec.Address, CancellationToken.None);

        Assert.Equal(0, Api.Get("deployments", Namespace, workload)!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Empty(Api.List("pods", Namespace, SessionLabels.SessionSelector(spec.SessionId)));
        Assert.NotNull(Api.Get("services", Namespace, workload));
        Assert.NotNull(Api.Get("secrets", Namespace, SessionLabels.VncSecret(spec.SessionId)));
        Assert.NotNull(Api.Get("persistentvolumeclaims", Namespace, SessionLabels.Home(spec.MemberId)));
        Assert.Equal("Hibernated", Api.Get("sessions", Namespace, "firefox-1a2b3c")!["status"]!["phase"]!.GetValue<string>());
        Assert.Contains(Api.Requests, r => r.StartsWith($"PATCH /apis/apps/v1/namespaces/ss-acme/deployments/{workload}/scale", StringComparison.Ordinal));
        Assert.False((await _cluster.Runtime.ObserveAsync(CancellationToken.None)).Single().Running);

        var password = await _cluster.Runtime.ReadVncPasswordAsync(spec.Address, CancellationToken.None);
        await StartAsync(spec);

        Assert.Equal(1, Api.Get("deployments", Namespace, workload)!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(password, await _cluster.Runtime.ReadVncPasswordAsync(spec.Address, CancellationToken.None));
        Assert.True((await _cluster.Runtime.ObserveAsync(CancellationToken.None)).Single().Running);
    }

    [Fact]
    public async Task Terminate_deletes_everything_of_the_session_but_the_home_claim()
    {
        var spec = KubernetesRuntimeFixture.Spec();
        await StartAsync(spec);

        await _cluster.Runtime.TerminateAsync(spec.Address, CancellationToken.None);

        var workload = SessionLabels.Workload(spec.SessionId);
        Assert.Null(Api.Get("deployments", Namespace, workload));
        Assert.Null(Api.Get("services", Namespace, workload));
        Assert.Null(Api.Get("secrets", Namespace, SessionLabels.VncSecret(spec.SessionId)));
        Assert.Null(Api.Get("sessions", Namespace, "firefox-1a2b3c"));
        Assert.Empty(Api.List("pods", Namespace));
        Assert.NotNull(Api.Get("persistentvolumeclaims", Namespace, SessionLabels.Home(spec.MemberId)));
        Assert.Empty(await _cluster.Runtime.ObserveAsync(CancellationToken.None));

        // Idempotent: a second terminate after a crash finds nothing and succeeds.
        await _cluster.Runtime.TerminateAsync(spec.Address, CancellationToken.None);
    }

    [Fact]
    public async Task Ensure_started_on_a_running_session_returns_the_same_endpoint_and_changes_nothing()
    {
        var spec = KubernetesRuntimeFixture.Spec();
        var first = await StartAsync(spec);
        var deployment = Api.Get("deployments", Namespace, SessionLabels.Workload(spec.SessionId))!;

        var again = await _cluster.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(first, again);
        Assert.Equal(deployment["metadata"]!["resourceVersion"]!.GetValue<string>(),
            Api.Get("deployments", Namespace, SessionLabels.Workload(spec.SessionId))!["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Single(Api.List("pods", Namespace));
    }

    [Fact]
    public async Task A_conflict_answered_by_the_api_server_is_retried()
    {
        var spec = KubernetesRuntimeFixture.Spec();
        Api.FailNextWrite("deployments", HttpStatusCode.Conflict);
        Api.FailNextWrite("sessions", HttpStatusCode.Conflict);

        await StartAsync(spec);

        Assert.Equal(2, Api.Requests.Count(r => r.StartsWith("PATCH /apis/apps/v1/namespaces/ss-acme/deployments/", StringComparison.Ordinal)));
        Assert.NotNull(Api.Get("deployments", Namespace, SessionLabels.Workload(spec.SessionId)));
    }

    [Fact]
    public async Task The_gateway_reads_the_vnc_password_from_the_sessions_secret()
    {
        var spec = KubernetesRuntimeFixture.Spec();
        await StartAsync(spec);

        var password = await _cluster.Runtime.ReadVncPasswordAsync(spec.Address, CancellationToken.None);

        var stored = Api.Get("secrets", Namespace, SessionLabels.VncSecret(spec.SessionId))!["data"]!["password"]!.GetValue<string>();
        Assert.Equal(Encoding.UTF8.GetString(Convert.FromBase64String(stored)), password);
        Assert.Equal(8, password!.Length);
    }

    [Fact]
    public async Task An_http_template_gets_no_vnc_secret_and_an_http_endpoint()
    {
        var spec = KubernetesRuntimeFixture.Spec(protocol: StreamProtocol.Http);

        var endpoint = await StartAsync(spec);

        Assert.Equal($"http://{SessionLabels.Workload(spec.SessionId)}.ss-acme.svc.cluster.local:3000", endpoint.Address);
        Assert.Null(Api.Get("secrets", Namespace, SessionLabels.VncSecret(spec.SessionId)));
        Assert.Null(await _cluster.Runtime.ReadVncPasswordAsync(spec.Address, CancellationToken.None));
    }

    private async Task<StreamSpace.Domain.Sessions.SessionEndpoint> StartAsync(StreamSpace.Domain.Sessions.SessionSpec spec)
    {
        var launch = _cluster.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        await Eventually.TrueAsync(
            () => launch.IsCompleted || Api.List("pods", Namespace, SessionLabels.SessionSelector(spec.SessionId)).Count == 1, "the Deployment has its pod");
        Api.MarkPodsReady(Namespace, SessionLabels.SessionSelector(spec.SessionId));
        return await launch.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
