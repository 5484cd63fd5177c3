using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Unit.Kubernetes;

/// <summary>Every manifest StreamSpace emits, checked three ways: strict YAML load, the model's JSON schema, our CRDs.</summary>
public sealed class ManifestValidationTests
{
    private static readonly KubernetesRuntimeOptions Options = new();

    public static TheoryData<string> ManifestNames => [.. Manifests().Keys];

    [Theory]
    [MemberData(nameof(ManifestNames))]
    public void Every_manifest_loads_with_strict_kubernetes_yaml(string name)
    {
        var manifest = Manifests()[name];
        var yaml = KubernetesYaml.Serialize(manifest);

        var loaded = KubernetesYaml.LoadAllFromString(yaml, strict: true);

        Assert.Equal(manifest.GetType(), Assert.Single(loaded).GetType());
    }

    [Theory]
    [MemberData(nameof(ManifestNames))]
    public void Every_manifest_validates_against_the_schema_of_its_kubernetes_model(string name)
    {
        var manifest = Manifests()[name];

        Assert.Empty(ManifestSchemas.Problems(ManifestSchemas.ForModel(manifest.GetType()), ManifestSchemas.Wire(manifest)));
    }

    [Fact]
    public void The_model_schema_refuses_a_field_kubernetes_does_not_know()
    {
        var deployment = ManifestSchemas.Wire(Manifests()["Deployment rfb"]);
        deployment["spec"]!["replica"] = 1;

        Assert.NotEmpty(ManifestSchemas.Problems(ManifestSchemas.ForModel(typeof(V1Deployment)), deployment));
    }

    [Fact]
    public void The_session_resource_we_write_validates_against_our_crd_with_its_status()
    {
        var resource = SessionManifests.Resource(Spec(StreamProtocol.Rfb));
        resource.Status = new SessionResourceStatus
        {
            Phase = "Running",
            SessionId = Guid.NewGuid().ToString(),
            LastActivity = DateTimeOffset.UtcNow,
            Conditions = [new V1Condition { Type = "Admitted", Status = "True", Reason = "Launched", Message = "ok", LastTransitionTime = DateTime.UtcNow, ObservedGeneration = 1 }],
        };

        Assert.Empty(ManifestSchemas.Problems(ManifestSchemas.ForCrd("sessions.stream.space.yaml"), ManifestSchemas.Wire(resource)));
    }

    [Theory]
    [InlineData("sessions.stream.space.yaml", ProductExamples.Session)]
    [InlineData("templates.stream.space.yaml", ProductExamples.Template)]
    [InlineData("users.stream.space.yaml", ProductExamples.User)]
    public void The_readme_documents_validate_against_our_crds(string crd, string document)
    {
        Assert.Empty(ManifestSchemas.Problems(ManifestSchemas.ForCrd(crd), YamlJson.Document(document)));
    }

    [Fact]
    public void A_session_without_a_template_or_with_an_unknown_field_is_refused_by_the_crd()
    {
        var schema = ManifestSchemas.ForCrd("sessions.stream.space.yaml");
        var missing = YamlJson.Document(ProductExamples.Session);
        missing["spec"]!.AsObject().Remove("template");
        var unknown = YamlJson.Document(ProductExamples.Session);
        unknown["spec"]!["memory"] = "2Gi";

        Assert.NotEmpty(ManifestSchemas.Problems(schema, missing));
        Assert.NotEmpty(ManifestSchemas.Problems(schema, unknown));
    }

    [Fact]
    public void The_crds_print_user_template_phase_idle_and_age_for_sessions()
    {
        var crd = YamlJson.Document(File.ReadAllText(Path.Combine(Repository.Root, "ops", "helm", "streamspace", "crds", "sessions.stream.space.yaml")));
        var columns = crd["spec"]!["versions"]![0]!["additionalPrinterColumns"]!.AsArray()
            .Where(c => c!["priority"] is null).Select(c => c!["name"]!.GetValue<string>().ToUpperInvariant());

        Assert.Equal(["USER", "TEMPLATE", "PHASE", "IDLE", "AGE"], columns);
    }

    [Fact]
    public void The_crds_load_as_kubernetes_objects_with_strict_yaml()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Repository.Root, "ops", "helm", "streamspace", "crds"), "*.yaml"))
        {
            var crd = Assert.IsType<V1CustomResourceDefinition>(Assert.Single(KubernetesYaml.LoadAllFromString(File.ReadAllText(file), strict: true)));
            Assert.Equal("stream.space", crd.Spec.Group);
            Assert.Equal("v1alpha1", Assert.Single(crd.Spec.Versions).Name);
        }
    }

    private static Dictionary<string, IKubernetesObject> Manifests()
    {
        var owner = SessionManifests.OwnerReference("firefox-1a2b3c", Guid.NewGuid().ToString());
        var rfb = Spec(StreamProtocol.Rfb);
        var http = Spec(StreamProtocol.Http) with { Image = "myregistry/myapp:latest" };
        var tenant = Tenant.Create("acme", "Acme", DateTimeOffset.UtcNow);
        var manifests = new Dictionary<string, IKubernetesObject>
        {
            ["PersistentVolumeClaim home"] = SessionManifests.HomeClaim(rfb, Options),
            ["Deployment rfb"] = SessionManifests.Deployment(rfb, Options, owner, 1),
            ["Deployment http"] = SessionManifests.Deployment(http, Options, owner, 1),
            ["Service rfb"] = SessionManifests.Service(rfb, owner),
            ["Service http"] = SessionManifests.Service(http, owner),
            ["Secret vnc"] = SessionManifests.VncSecret(rfb, "secret12", owner),
            ["Namespace"] = TenantNamespaceManifests.Namespace(tenant),
            ["ResourceQuota"] = TenantNamespaceManifests.Quota(tenant),
            ["LimitRange"] = TenantNamespaceManifests.LimitRange(tenant),
            ["ServiceAccount"] = TenantNamespaceManifests.SessionServiceAccount(tenant),
            ["RoleBinding"] = TenantNamespaceManifests.GatewaySecretsBinding(tenant, Options),
            ["RoleBinding workers"] = TenantNamespaceManifests.WorkersBinding(tenant, Options),
        };
        foreach (var policy in TenantNamespaceManifests.NetworkPolicies(tenant, Options))
        {
            manifests[$"NetworkPolicy {policy.Metadata.Name}"] = policy;
        }

        return manifests;
    }

    private static SessionSpec Spec(StreamProtocol protocol) =>
        new(Guid.NewGuid(), Guid.NewGuid(), "acme", Guid.NewGuid(), 1000, "firefox", "Firefox", "lscr.io/linuxserver/firefox:latest", null,
            protocol, protocol == StreamProtocol.Rfb ? 5900 : 3000, 2L << 30, 1000, ["network"], new Dictionary<string, string> { ["TITLE"] = "Firefox" },
            ScreenSize.Default, true, true, protocol == StreamProtocol.Rfb)
        {
            SessionName = "firefox-1a2b3c",
            MemberName = "john",
            HomeStorageBytes = 10L << 30,
        };
}
