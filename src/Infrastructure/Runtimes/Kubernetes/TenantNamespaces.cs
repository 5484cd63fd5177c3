using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StreamSpace.Domain.Tenants;

namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

/// <summary>Brings a tenant's namespace to what <see cref="TenantNamespaceManifests"/> describes; safe to repeat.</summary>
public sealed class TenantNamespaces(IKubernetes client, IOptions<KubernetesRuntimeOptions> options, ILogger<TenantNamespaces> logger)
{
    // The API server's authorizer learns of a new RoleBinding from a watch: moments, not minutes.
    private static readonly TimeSpan BindingDelay = TimeSpan.FromSeconds(10);

    public async Task ConvergeAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var ns = SessionLabels.Namespace(tenant.Slug);
        const string manager = SessionLabels.FieldManager;

        // Workers hold no rights in a namespace until they bind their tenant role in it: create both, then apply as usual.
        await KubernetesCalls.CreateUnlessPresentAsync(() => client.CoreV1.CreateNamespaceAsync(
            TenantNamespaceManifests.Namespace(tenant), fieldManager: manager, cancellationToken: cancellationToken));
        await KubernetesCalls.CreateUnlessPresentAsync(() => client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(
            TenantNamespaceManifests.WorkersBinding(tenant, options.Value), ns, fieldManager: manager, cancellationToken: cancellationToken));
        await KubernetesCalls.RetryWhileForbiddenAsync(
            () => client.CoreV1.PatchNamespaceAsync(
                KubernetesCalls.Apply(TenantNamespaceManifests.Namespace(tenant)), ns, fieldManager: manager, force: true, cancellationToken: cancellationToken),
            BindingDelay,
            cancellationToken);
        await ApplyAsync(() => client.CoreV1.PatchNamespacedResourceQuotaAsync(
            KubernetesCalls.Apply(TenantNamespaceManifests.Quota(tenant)), TenantNamespaceManifests.QuotaName, ns, fieldManager: manager, force: true, cancellationToken: cancellationToken));
        await ApplyAsync(() => client.CoreV1.PatchNamespacedLimitRangeAsync(
            KubernetesCalls.Apply(TenantNamespaceManifests.LimitRange(tenant)), TenantNamespaceManifests.LimitRangeName, ns, fieldManager: manager, force: true, cancellationToken: cancellationToken));
        foreach (var policy in TenantNamespaceManifests.NetworkPolicies(tenant, options.Value))
        {
            await ApplyAsync(() => client.NetworkingV1.PatchNamespacedNetworkPolicyAsync(
                KubernetesCalls.Apply(policy), policy.Metadata.Name, ns, fieldManager: manager, force: true, cancellationToken: cancellationToken));
        }

        await ApplyAsync(() => client.CoreV1.PatchNamespacedServiceAccountAsync(
            KubernetesCalls.Apply(TenantNamespaceManifests.SessionServiceAccount(tenant)), SessionManifests.SessionServiceAccount, ns, fieldManager: manager, force: true, cancellationToken: cancellationToken));
        await ApplyAsync(() => client.RbacAuthorizationV1.PatchNamespacedRoleBindingAsync(
            KubernetesCalls.Apply(TenantNamespaceManifests.GatewaySecretsBinding(tenant, options.Value)), TenantNamespaceManifests.GatewayBinding, ns, fieldManager: manager, force: true, cancellationToken: cancellationToken));
        logger.LogInformation("Namespace {Namespace} of tenant {Tenant} converged", ns, tenant.Slug);

        Task ApplyAsync<T>(Func<Task<T>> call) => KubernetesCalls.RetryOnConflictAsync(call, cancellationToken);
    }
}
