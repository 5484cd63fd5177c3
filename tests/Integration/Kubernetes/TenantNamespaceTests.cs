using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using Microsoft.Extensions.Logging.Abstractions;

namespace StreamSpace.Tests.Integration.Kubernetes;

public sealed class TenantNamespaceTests : IAsyncLifetime
{
    private readonly KubernetesRuntimeFixture _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_tenant_gets_its_labelled_namespace_with_quota_from_its_plan_limits_policies_and_a_tokenless_service_account()
    {
        var tenant = Tenant.Create("acme", "Acme", DateTimeOffset.UtcNow);

        await Namespaces().ConvergeAsync(tenant, CancellationToken.None);

        var api = _cluster.Api;
        Assert.Equal("acme", api.Get("namespaces", null, "ss-acme")!["metadata"]!["labels"]![SessionLabels.Tenant]!.GetValue<string>());
        var hard = api.Get("resourcequotas", "ss-acme", TenantNamespaceManifests.QuotaName)!["spec"]!["hard"]!;
        Assert.Equal("64Gi", hard["limits.memory"]!.GetValue<string>());
        Assert.Equal("20", hard["pods"]!.GetValue<string>());
        Assert.Equal("50", hard["persistentvolumeclaims"]!.GetValue<string>());
        Assert.Equal("500Gi", hard["requests.storage"]!.GetValue<string>());
        Assert.NotNull(api.Get("limitranges", "ss-acme", TenantNamespaceManifests.LimitRangeName));
        Assert.Equal(
            new[] { TenantNamespaceManifests.GatewayIngress, TenantNamespaceManifests.DnsEgress, TenantNamespaceManifests.NetworkEgress, TenantNamespaceManifests.DefaultDeny }.Order(StringComparer.Ordinal),
            api.List("networkpolicies", "ss-acme").Select(p => p["metadata"]!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var deny = api.Get("networkpolicies", "ss-acme", TenantNamespaceManifests.DefaultDeny)!["spec"]!;
        Assert.Equal("""["Ingress","Egress"]""", deny["policyTypes"]!.ToJsonString());
        var from = api.Get("networkpolicies", "ss-acme", TenantNamespaceManifests.GatewayIngress)!["spec"]!["ingress"]![0]!["from"]![0]!;
        Assert.Equal("streamspace", from["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]!.GetValue<string>());
        Assert.Equal("web", from["podSelector"]!["matchLabels"]!["app.kubernetes.io/component"]!.GetValue<string>());
        Assert.Equal("true", api.Get("networkpolicies", "ss-acme", TenantNamespaceManifests.NetworkEgress)!["spec"]!["podSelector"]!["matchLabels"]![SessionLabels.Network]!.GetValue<string>());
        Assert.False(api.Get("serviceaccounts", "ss-acme", "streamspace-session")!["automountServiceAccountToken"]!.GetValue<bool>());
        Assert.Equal("streamspace-web", api.Get("rolebindings", "ss-acme", TenantNamespaceManifests.GatewayBinding)!["subjects"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Converging_twice_changes_nothing_the_second_time()
    {
        var tenant = Tenant.Create("acme", "Acme", DateTimeOffset.UtcNow);
        await Namespaces().ConvergeAsync(tenant, CancellationToken.None);
        var quota = _cluster.Api.Get("resourcequotas", "ss-acme", TenantNamespaceManifests.QuotaName)!;

        await Namespaces().ConvergeAsync(tenant, CancellationToken.None);

        Assert.Equal(quota["metadata"]!["generation"]!.ToJsonString(),
            _cluster.Api.Get("resourcequotas", "ss-acme", TenantNamespaceManifests.QuotaName)!["metadata"]!["generation"]!.ToJsonString());
        Assert.Equal(4, _cluster.Api.List("networkpolicies", "ss-acme").Count);
    }

    private TenantNamespaces Namespaces() =>
        new(_cluster.Client, Microsoft.Extensions.Options.Options.Create(_cluster.Options), NullLogger<TenantNamespaces>.Instance);
}
