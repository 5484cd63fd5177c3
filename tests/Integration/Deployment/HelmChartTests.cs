using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using k8s;
using k8s.Models;
using StreamSpace.Tests.Support;
using YamlDotNet.Serialization;

namespace StreamSpace.Tests.Integration.Deployment;

/// <summary>
/// The chart rendered with its example values: every core manifest loads strictly into KubernetesClient's models (an
/// unknown or misspelt field fails), the Prometheus Operator objects carry the shipped rules and dashboards, and the
/// values satisfy values.schema.json as Helm would check them.
/// </summary>
public sealed class HelmChartTests
{
    private static readonly string[] OperatorKinds = ["ServiceMonitor", "PrometheusRule", "Probe"];

    // Loaded once: the library keeps a process-wide registry of schemas by URI.
    private static readonly Lazy<JsonSchema> LoadedSchema = new(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(HelmChart.Directory, "values.schema.json"))));

    public static TheoryData<string> Examples() => ["minimal-values.yaml", "production-values.yaml"];

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Every_rendered_manifest_loads_strictly_as_a_Kubernetes_object(string example)
    {
        var (succeeded, documents, error) = await HelmChart.RenderAsync(HelmChart.Example(example));
        Assert.True(succeeded, error);

        var kinds = new List<string>();
        foreach (var document in documents)
        {
            var kind = KindOf(document);
            kinds.Add(kind);
            if (OperatorKinds.Contains(kind))
            {
                Assert.StartsWith("apiVersion: monitoring.coreos.com/v1", document.Split('\n').First(l => l.StartsWith("apiVersion", StringComparison.Ordinal)), StringComparison.Ordinal);
                continue;
            }

            var loaded = KubernetesYaml.LoadAllFromString(document, strict: true);
            Assert.Single(loaded);
            Assert.False(string.IsNullOrEmpty(((IMetadata<V1ObjectMeta>)loaded[0]).Metadata.Name), document);
        }

        foreach (var expected in new[]
                 {
                     "Deployment", "Service", "Ingress", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
                     "NetworkPolicy", "PodDisruptionBudget", "Job", "ConfigMap", "ServiceMonitor", "PrometheusRule",
                 })
        {
            Assert.Contains(expected, kinds);
        }
    }

    [Fact]
    public async Task Default_values_refuse_to_render_without_database_credentials()
    {
        var (succeeded, _, error) = await HelmChart.RenderAsync();

        Assert.False(succeeded);
        Assert.Contains("controller.config.postgres.password or .existingSecret is required", error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Values_satisfy_the_schema(string example)
    {
        using var values = JsonDocument.Parse(await HelmChart.MergedValuesAsync(HelmChart.Example(example)));
        var results = Schema().Evaluate(values.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(results.IsValid, Describe(results));
    }

    [Theory]
    [InlineData("controller:\n  config:\n    hibernation:\n      enabled: \"yes\"\n")]
    [InlineData("controller:\n  config:\n    hibernation:\n      defaultIdleTimeout: half an hour\n")]
    [InlineData("ingress:\n  hostnme: streamspace.example.com\n")]
    [InlineData("ingress:\n  hostname: https://streamspace.example.com\n")]
    [InlineData("web:\n  replicas: two\n")]
    [InlineData("runtime:\n  kubernetes:\n    portalPort: eighty\n")]
    [InlineData("web:\n  forwardedHeaders:\n    knownNetworks: [10.42.0.0]\n")]
    [InlineData("web:\n  forwardedHeaders:\n    knownProxies: [ingress-nginx]\n")]
    public async Task The_schema_rejects_a_typo_or_a_wrong_type(string values)
    {
        var file = Path.Combine(Path.GetTempPath(), $"ss-values-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, values);
        try
        {
            using var merged = JsonDocument.Parse(await HelmChart.MergedValuesAsync(HelmChart.Example("minimal-values.yaml"), file));
            var results = Schema().Evaluate(merged.RootElement);

            Assert.False(results.IsValid);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_PrometheusRule_carries_exactly_the_rules_file_and_the_dashboards_are_the_shipped_ones()
    {
        var rules = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "ops", "prometheus", "streamspace-rules.yml"));
        Assert.Equal(rules, await File.ReadAllTextAsync(Path.Combine(HelmChart.Directory, "files", "streamspace-rules.yml")));
        foreach (var dashboard in Directory.GetFiles(Path.Combine(Repository.Root, "ops", "grafana"), "*.json"))
        {
            Assert.Equal(await File.ReadAllTextAsync(dashboard), await File.ReadAllTextAsync(Path.Combine(HelmChart.Directory, "files", "dashboards", Path.GetFileName(dashboard))));
        }

        var (succeeded, documents, error) = await HelmChart.RenderAsync(HelmChart.Example("minimal-values.yaml"));
        Assert.True(succeeded, error);

        var rule = Yaml(documents.Single(d => KindOf(d) == "PrometheusRule"));
        Assert.True(JsonNode.DeepEquals(Yaml(rules), rule["spec"]));
        var configMaps = documents.Where(d => KindOf(d) == "ConfigMap").Select(d => KubernetesYaml.Deserialize<V1ConfigMap>(d)).ToList();
        Assert.Equal(4, configMaps.Count);
        foreach (var map in configMaps)
        {
            var (name, json) = map.Data.Single();
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "ops", "grafana", name)), json + "\n");
            Assert.Equal("1", map.Metadata.Labels["grafana_dashboard"]);
        }
    }

    [Fact]
    public async Task The_ingress_serves_the_portal_and_every_tenant_host_over_TLS()
    {
        var (succeeded, documents, error) = await HelmChart.RenderAsync(HelmChart.Example("production-values.yaml"));
        Assert.True(succeeded, error);

        var ingress = KubernetesYaml.Deserialize<V1Ingress>(documents.Single(d => KindOf(d) == "Ingress"), strict: true);
        Assert.Equal(["streamspace.example.com", "*.streamspace.example.com"], ingress.Spec.Rules.Select(r => r.Host));
        Assert.Equal(["streamspace.example.com", "*.streamspace.example.com"], ingress.Spec.Tls.Single().Hosts);
        Assert.Equal("streamspace-wildcard-tls", ingress.Spec.Tls.Single().SecretName);
    }

    [Fact]
    public async Task Web_and_Workers_run_unprivileged_with_probes_and_the_settings_the_code_reads()
    {
        var (succeeded, documents, error) = await HelmChart.RenderAsync(HelmChart.Example("production-values.yaml"));
        Assert.True(succeeded, error);

        var deployments = documents.Where(d => KindOf(d) == "Deployment").Select(d => KubernetesYaml.Deserialize<V1Deployment>(d, strict: true)).ToList();
        Assert.Equal(["streamspace-web", "streamspace-workers"], deployments.Select(d => d.Metadata.Name).Order());
        foreach (var deployment in deployments)
        {
            var pod = deployment.Spec.Template.Spec;
            var container = pod.Containers.Single();
            Assert.True(pod.SecurityContext.RunAsNonRoot);
            Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
            Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
            Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
            Assert.NotNull(container.LivenessProbe);
            Assert.NotNull(container.Resources.Limits["memory"]);
            var env = container.Env.ToDictionary(e => e.Name);
            Assert.Equal("streamspace-database", env["ConnectionStrings__StreamSpace"].ValueFrom.SecretKeyRef.Name);
            Assert.Equal("20m", env["Hibernation__DefaultIdleTimeout"].Value);
            Assert.Equal("30s", env["Hibernation__CheckInterval"].Value);
            Assert.Equal("9090", env["Metrics__Port"].Value);
            Assert.Equal("streamspace.example.com", env["Tenancy__BaseDomain"].Value);
            Assert.Equal("https", env["Runtime__Kubernetes__PortalScheme"].Value);
            Assert.False(env.ContainsKey("Runtime__Kubernetes__PortalPort"));
        }

        var web = deployments.Single(d => d.Metadata.Name == "streamspace-web").Spec.Template.Spec.Containers.Single();
        Assert.Equal("/healthz/ready", web.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/healthz/live", web.LivenessProbe.HttpGet.Path);
    }

    [Fact]
    public async Task Session_resources_link_the_viewer_with_the_ingress_scheme_and_the_portal_port()
    {
        var file = Path.Combine(Path.GetTempPath(), $"ss-values-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "ingress:\n  tls:\n    enabled: false\nruntime:\n  kubernetes:\n    portalPort: 8080\n");
        try
        {
            var (succeeded, documents, error) = await HelmChart.RenderAsync(HelmChart.Example("minimal-values.yaml"), file);
            Assert.True(succeeded, error);

            var workers = documents.Where(d => KindOf(d) == "Deployment").Select(d => KubernetesYaml.Deserialize<V1Deployment>(d, strict: true))
                .Single(d => d.Metadata.Name == "streamspace-workers");
            var env = workers.Spec.Template.Spec.Containers.Single().Env.ToDictionary(e => e.Name, e => e.Value);
            Assert.Equal(("http", "8080"), (env["Runtime__Kubernetes__PortalScheme"], env["Runtime__Kubernetes__PortalPort"]));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Web_holds_no_cluster_wide_right_but_listing_sessions_and_nodes_and_reads_secrets_through_per_namespace_bindings()
    {
        var (succeeded, documents, error) = await HelmChart.RenderAsync(HelmChart.Example("minimal-values.yaml"));
        Assert.True(succeeded, error);

        var roles = documents.Where(d => KindOf(d) == "ClusterRole").Select(d => KubernetesYaml.Deserialize<V1ClusterRole>(d, strict: true)).ToDictionary(r => r.Metadata.Name);
        var bindings = documents.Where(d => KindOf(d) == "ClusterRoleBinding").Select(d => KubernetesYaml.Deserialize<V1ClusterRoleBinding>(d, strict: true)).ToList();
        var webRoles = bindings.Where(b => b.Subjects.Any(s => s.Name == "streamspace-web")).Select(b => roles[b.RoleRef.Name]).ToList();
        var webRules = webRoles.Single().Rules;
        Assert.All(webRules, rule => Assert.Equal(["list"], rule.Verbs));
        Assert.Equal(["sessions", "nodes"], webRules.SelectMany(rule => rule.Resources));
        var gateway = roles["streamspace-gateway"];
        Assert.Equal(["get"], gateway.Rules.Single().Verbs);
        Assert.Equal(["secrets"], gateway.Rules.Single().Resources);
        var workers = roles["streamspace-workers"];
        Assert.DoesNotContain(workers.Rules, r => r.Verbs.Contains("*") || r.Resources.Contains("*"));
        Assert.Contains(workers.Rules, r => r.Resources.Contains("clusterroles") && r.Verbs.SequenceEqual(["bind"]) && r.ResourceNames.SequenceEqual(["streamspace-workers-tenant"]));
        Assert.Contains(roles["streamspace-workers-tenant"].Rules, r => r.Resources.Contains("clusterroles") && r.Verbs.SequenceEqual(["bind"]) && r.ResourceNames.SequenceEqual(["streamspace-gateway"]));
    }

    private static JsonSchema Schema() => LoadedSchema.Value;

    private static string KindOf(string document) =>
        document.Split('\n').Single(l => l.StartsWith("kind:", StringComparison.Ordinal))["kind:".Length..].Trim();

    /// <summary>YAML as a JSON tree (YamlDotNet to plain objects, then System.Text.Json), for structural comparison.</summary>
    private static JsonNode Yaml(string yaml)
    {
        var value = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize<object>(yaml);
        return JsonNode.Parse(JsonSerializer.Serialize(value))!;
    }

    private static string Describe(EvaluationResults results) =>
        string.Join("; ", (results.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));
}
