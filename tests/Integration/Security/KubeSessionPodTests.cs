using System.Text.Json.Nodes;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Tests.Integration.Kubernetes;
using StreamSpace.Tests.Integration.LocalRuntime;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>What a template cannot put into a session pod even when it reaches the runtime: its own user id, or a private image another tenant's pod left on the node.</summary>
public sealed class KubeSessionPodTests : IAsyncLifetime
{
    private const string Namespace = "ss-acme";
    private readonly KubernetesRuntimeFixture _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_spec_that_carries_PUID_0_anyway_starts_a_pod_that_runs_as_uid_1000()
    {
        var spec = KubernetesRuntimeFixture.Spec() with
        {
            Environment = new Dictionary<string, string> { ["PUID"] = "0", ["PGID"] = "0", ["TITLE"] = "Firefox" },
        };

        var env = (await LaunchedPodAsync(spec))["spec"]!["containers"]![0]!["env"]!.AsArray();

        Assert.Equal(["1000"], env.Where(e => e!["name"]!.GetValue<string>() == "PUID").Select(e => e!["value"]!.GetValue<string>()));
        Assert.Equal(["1000"], env.Where(e => e!["name"]!.GetValue<string>() == "PGID").Select(e => e!["value"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_spec_that_turns_the_selkies_clipboard_on_anyway_starts_a_pod_whose_switches_follow_the_tier()
    {
        var spec = KubernetesRuntimeFixture.Spec() with
        {
            ClipboardIn = true,
            ClipboardOut = false,
            Environment = new Dictionary<string, string> { ["SELKIES_CLIPBOARD_OUT_ENABLED"] = "true", ["SELKIES_CLIPBOARD_IN_ENABLED"] = "false" },
        };

        var env = (await LaunchedPodAsync(spec))["spec"]!["containers"]![0]!["env"]!.AsArray();

        Assert.Equal(["false"], env.Where(e => e!["name"]!.GetValue<string>() == "SELKIES_CLIPBOARD_OUT_ENABLED").Select(e => e!["value"]!.GetValue<string>()));
        Assert.Equal(["true"], env.Where(e => e!["name"]!.GetValue<string>() == "SELKIES_CLIPBOARD_IN_ENABLED").Select(e => e!["value"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_tenant_image_outside_the_catalog_is_pulled_always_so_a_cached_private_image_is_not_reused_without_credentials()
    {
        var spec = KubernetesRuntimeFixture.Spec(image: "registry.globex.example/private/crm:2.1");

        var pod = await LaunchedPodAsync(spec);

        Assert.Equal("Always", pod["spec"]!["containers"]![0]!["imagePullPolicy"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_shipped_catalog_image_keeps_the_operators_pull_policy()
    {
        var pod = await LaunchedPodAsync(KubernetesRuntimeFixture.Spec(image: "lscr.io/linuxserver/firefox:latest"));

        Assert.Equal("IfNotPresent", pod["spec"]!["containers"]![0]!["imagePullPolicy"]!.GetValue<string>());
    }

    private async Task<JsonObject> LaunchedPodAsync(Domain.Sessions.SessionSpec spec)
    {
        var selector = SessionLabels.SessionSelector(spec.SessionId);
        var launch = _cluster.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        await Eventually.TrueAsync(() => _cluster.Api.List("pods", Namespace, selector).Count == 1, "the Deployment has its pod");
        _cluster.Api.MarkPodsReady(Namespace, selector);
        await launch.WaitAsync(TimeSpan.FromSeconds(10));
        return _cluster.Api.List("pods", Namespace, selector).Single();
    }
}
