using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StreamSpace.Domain.Tenants;

namespace StreamSpace.Infrastructure.Sessions.Kubernetes;

/// <summary>Brings a tenant's namespace to what <see cref="TenantNamespaceManifests"/> describes; safe to repeat.</summary>
public sealed class TenantNamespaces(IKubernetes client, IOptions<KubernetesRuntimeOptions> options, ILogger<TenantNamespaces> logger)
{
    public async Task ConvergeAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var ns = SessionLabels.Namespace(tenant.Slug);
        const string manager = SessionLabels.FieldManager;
        await Apply(() => client.CoreV1.PatchNamespaceAsync(
            KubernetesCalls.Apply(TenantNamespaceManifests.Namespace(tenant)), ns, fieldManager: manager, force: true, cancellationToken: cancellationToken));
        await Apply(() => client.CoreV1.PatchNamespacedResourceQuotaAsync(
            KubernetesCalls.Apply(TenantNamespaceManifests.Quota(tenant)), TenantNamespaceManifests.QuotaName, ns, fieldManager: manager, force: true, cancellationToken: cancellationToken));
        await Apply(() => client.CoreV1.PatchNamespacedLimitRangeAsync(
            KubernetesCalls.Apply(TenantNamespaceManifests.LimitRange(tenant)), TenantNamespaceManifests.LimitRangeName, ns, fieldManager: manager, force: true, cancellationToken: cancellationToken));
        foreach (var policy in TenantNamespaceManifests.NetworkPolicies(tenant, options.Value))
        {
            await Apply(() => client.NetworkingV1.PatchNamespacedNetworkPolicyAsync(
                KubernetesCalls.Apply(policy), policy.Metadata.Name, ns, fieldManager: manager, force: true, cancellationToken: cancellationToken));
        }

        await Apply(() => client.CoreV1.PatchNamespacedServiceAccountAsync(
            KubernetesCalls.Apply(TenantNamespaceManifests.SessionServiceAccount(tenant)), SessionManifests.SessionServiceAccount, ns, fieldManager: manager, force: true, cancellationToken: cancellationToken));
        await Apply(() => client.RbacAuthorizationV1.PatchNamespacedRoleBindingAsync(
            KubernetesCalls.Apply(TenantNamespaceManifests.GatewaySecretsBinding(tenant, options.Value)), TenantNamespaceManifests.GatewayBinding, ns, fieldManager: manager, force: true, cancellationToken: cancellationToken));
        logger.LogInformation("Namespace {Namespace} of tenant {Tenant} converged", ns, tenant.Slug);

        Task Apply<T>(Func<Task<T>> call) => KubernetesCalls.RetryOnConflictAsync(call, cancellationToken);
    }
}
