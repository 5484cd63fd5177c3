using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Tests.Integration.Deployment;
using StreamSpace.Tests.Integration.Kubernetes;
using StreamSpace.Tests.Integration.LocalRuntime;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>
/// Workers' and Web's service accounts held to the chart's RBAC by the fake API server: rights inside the tenant namespaces
/// Workers created and bound themselves in, none elsewhere.
/// </summary>
public sealed class KubeRbacTests : IAsyncLifetime
{
    private const string Tenant = "ss-acme";
    private readonly KubernetesRuntimeFixture _cluster = new();

    public async Task InitializeAsync()
    {
        await _cluster.InitializeAsync();
        var api = _cluster.Api;
        foreach (var ns in new[] { "kube-system", "payments" })
        {
            api.Create("namespaces", null, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });
            api.Create("secrets", ns, Secret("cloud-credentials"));
        }

        api.Create("secrets", Tenant, Secret("tenant-secret"));
    }

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Theory]
    [InlineData("kube-system")]
    [InlineData("payments")]
    public async Task Workers_cannot_read_a_secret_in_a_namespace_it_did_not_create(string ns)
    {
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => _cluster.Client.CoreV1.ReadNamespacedSecretAsync("cloud-credentials", ns));

        Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
        Assert.NotNull(await _cluster.Client.CoreV1.ReadNamespacedSecretAsync("tenant-secret", Tenant));
    }

    [Fact]
    public async Task Workers_cannot_list_deployments_or_secrets_across_all_namespaces()
    {
        var deployments = await Assert.ThrowsAsync<HttpOperationException>(() => _cluster.Client.AppsV1.ListDeploymentForAllNamespacesAsync());
        var secrets = await Assert.ThrowsAsync<HttpOperationException>(() => _cluster.Client.CoreV1.ListSecretForAllNamespacesAsync());

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (deployments.Response.StatusCode, secrets.Response.StatusCode));
    }

    [Fact]
    public async Task Workers_cannot_change_a_namespace_it_did_not_create()
    {
        var relabel = KubernetesCalls.Merge(new { metadata = new { labels = new Dictionary<string, string> { ["pod-security.kubernetes.io/enforce"] = "privileged" } } });

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => _cluster.Client.CoreV1.PatchNamespaceAsync(relabel, "payments"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
    }

    [Theory]
    [InlineData("cluster-admin")]
    [InlineData("admin")]
    public async Task Workers_cannot_bind_any_role_but_its_tenant_and_gateway_roles_even_in_its_own_namespace(string role)
    {
        var binding = new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "escalate", NamespaceProperty = Tenant },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = role },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "streamspace-workers", NamespaceProperty = "streamspace" }],
        };

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => _cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(binding, Tenant));

        Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
    }

    [Fact]
    public async Task The_gateway_reads_a_sessions_vnc_password_in_its_tenant_namespace_and_no_secret_anywhere_else()
    {
        var spec = KubernetesRuntimeFixture.Spec();
        await LaunchAsync(spec);

        var secret = await _cluster.WebClient.CoreV1.ReadNamespacedSecretAsync(SessionLabels.VncSecret(spec.SessionId), Tenant);
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => _cluster.WebClient.CoreV1.ReadNamespacedSecretAsync("cloud-credentials", "kube-system"));
        var listing = await Assert.ThrowsAsync<HttpOperationException>(() => _cluster.WebClient.CoreV1.ListNamespacedSecretAsync(Tenant));

        Assert.NotEmpty(secret.Data[SessionManifests.VncPasswordKey]);
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (refused.Response.StatusCode, listing.Response.StatusCode));
    }

    [Fact]
    public async Task A_session_launches_hibernates_resumes_is_observed_and_terminates_with_no_request_refused()
    {
        var spec = KubernetesRuntimeFixture.Spec();
        await LaunchAsync(spec);
        await _cluster.Runtime.HibernateAsync(spec.Address, CancellationToken.None);
        await LaunchAsync(spec);

        var observed = await _cluster.Runtime.ObserveAsync(CancellationToken.None);
        await _cluster.Runtime.TerminateAsync(spec.Address, CancellationToken.None);

        Assert.Contains(observed, o => o.SessionId == spec.SessionId && o.Running);
        Assert.Empty(_cluster.Api.Denied);
    }

    [Fact]
    public async Task The_rendered_chart_grants_no_cluster_wide_right_on_secrets_deployments_pods_or_services()
    {
        var (succeeded, documents, error) = await HelmChart.RenderAsync(HelmChart.Example("minimal-values.yaml"));
        Assert.True(succeeded, error);
        var loaded = documents.Where(d => d.Contains("apiVersion: rbac.authorization.k8s.io/", StringComparison.Ordinal))
            .Select(d => KubernetesYaml.LoadAllFromString(d, strict: true).Single()).ToList();
        var roles = loaded.OfType<V1ClusterRole>().ToDictionary(r => r.Metadata.Name);

        var clusterWide = loaded.OfType<V1ClusterRoleBinding>().SelectMany(b => roles[b.RoleRef.Name].Rules).ToList();

        Assert.DoesNotContain(clusterWide, r => r.Resources.Intersect(["secrets", "deployments", "deployments/scale", "pods", "services", "persistentvolumeclaims", "*"]).Any());
        Assert.DoesNotContain(clusterWide, r => r.Resources.Contains("namespaces") && r.Verbs.Intersect(["patch", "update", "delete", "*"]).Any());
        Assert.All(clusterWide.Where(r => r.Resources.Contains("clusterroles")), r => Assert.Equal(["streamspace-workers-tenant"], r.ResourceNames));
        Assert.DoesNotContain(loaded.OfType<V1ClusterRoleBinding>(), b => b.RoleRef.Name is "streamspace-workers-tenant" or "streamspace-gateway");
        Assert.Contains(roles["streamspace-workers-tenant"].Rules, r => r.Resources.Contains("secrets"));
    }

    [Fact]
    public async Task The_rendered_chart_admits_workers_rolebindings_only_in_namespaces_labelled_as_tenants()
    {
        var (succeeded, documents, error) = await HelmChart.RenderAsync(HelmChart.Example("minimal-values.yaml"));
        Assert.True(succeeded, error);

        var policy = KubernetesYaml.Deserialize<V1ValidatingAdmissionPolicy>(
            documents.Single(d => d.Contains("kind: ValidatingAdmissionPolicy\n", StringComparison.Ordinal)), strict: true);
        var binding = KubernetesYaml.Deserialize<V1ValidatingAdmissionPolicyBinding>(
            documents.Single(d => d.Contains("kind: ValidatingAdmissionPolicyBinding\n", StringComparison.Ordinal)), strict: true);

        Assert.Equal("Fail", policy.Spec.FailurePolicy);
        Assert.Equal(["namespaces", "rolebindings"], policy.Spec.MatchConstraints.ResourceRules.SelectMany(r => r.Resources).Order(StringComparer.Ordinal));
        Assert.All(policy.Spec.MatchConstraints.ResourceRules, r => Assert.Equal(["CREATE", "UPDATE"], r.Operations));
        Assert.Contains("system:serviceaccount:streamspace:streamspace-workers\"", Assert.Single(policy.Spec.MatchConditions).Expression, StringComparison.Ordinal);
        Assert.Contains(policy.Spec.Validations, v => v.Expression.Contains("namespaceObject.metadata.labels", StringComparison.Ordinal) && v.Expression.Contains("\"stream.space/tenant\"", StringComparison.Ordinal));
        Assert.Contains(policy.Spec.Validations, v => v.Expression.Contains("startsWith(\"ss-\")", StringComparison.Ordinal));
        Assert.Equal((policy.Metadata.Name, "Deny"), (binding.Spec.PolicyName, Assert.Single(binding.Spec.ValidationActions)));
    }

    private async Task LaunchAsync(Domain.Sessions.SessionSpec spec)
    {
        var selector = SessionLabels.SessionSelector(spec.SessionId);
        var launch = _cluster.Runtime.EnsureStartedAsync(spec, new RecordedProgress(), CancellationToken.None);
        await Eventually.TrueAsync(() => _cluster.Api.List("pods", Tenant, selector).Count == 1, "the Deployment has its pod");
        _cluster.Api.MarkPodsReady(Tenant, selector);
        await launch.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static JsonObject Secret(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["data"] = new JsonObject { ["token"] = Convert.ToBase64String("hunter2"u8.ToArray()) },
    };
}
