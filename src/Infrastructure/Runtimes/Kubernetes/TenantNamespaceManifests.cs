using k8s.Models;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Tenants;

namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

/// <summary>
/// A tenant's namespace and what fences it in, built in one place: quota from the plan, container defaults, network policies
/// (nothing in or out but the gateway, DNS, and the internet for templates with the <c>network</c> capability), the sessions'
/// service account without a token, Workers' own rights in the namespace, and the gateway's right to read the sessions' VNC Secrets.
/// </summary>
public static class TenantNamespaceManifests
{
    public const string DefaultDeny = "default-deny";
    public const string GatewayIngress = "allow-gateway-ingress";
    public const string DnsEgress = "allow-dns-egress";
    public const string NetworkEgress = "allow-network-capability-egress";
    public const string QuotaName = "streamspace-plan";
    public const string LimitRangeName = "streamspace-defaults";
    public const string GatewayBinding = "streamspace-gateway";
    public const string WorkersBindingName = "streamspace-workers";

    // Private ranges and the cloud metadata address stay closed even to templates with the network capability.
    private static readonly string[] ClosedRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10"];

    public static V1Namespace Namespace(Tenant tenant) => new()
    {
        ApiVersion = "v1",
        Kind = "Namespace",
        Metadata = new V1ObjectMeta
        {
            Name = SessionLabels.Namespace(Required(tenant).Slug),
            Labels = new Dictionary<string, string>
            {
                [SessionLabels.Tenant] = tenant.Slug,
                [SessionLabels.ManagedBy] = SessionLabels.ManagedByValue,

                // LinuxServer images start as root to drop to their user: "baseline", not "restricted".
                ["pod-security.kubernetes.io/enforce"] = "baseline",
                ["pod-security.kubernetes.io/warn"] = "restricted",
            },
        },
    };

    public static V1ResourceQuota Quota(Tenant tenant)
    {
        var plan = Required(tenant).Plan;
        var memory = new ResourceQuantity(Quantity.FormatBytes(plan.MemoryBytes));
        return new V1ResourceQuota
        {
            ApiVersion = "v1",
            Kind = "ResourceQuota",
            Metadata = Metadata(tenant, QuotaName),
            Spec = new V1ResourceQuotaSpec
            {
                Hard = new Dictionary<string, ResourceQuantity>
                {
                    ["requests.memory"] = memory,
                    ["limits.memory"] = memory,
                    ["pods"] = new(plan.RunningSessions.ToString(System.Globalization.CultureInfo.InvariantCulture)),

                    // One home claim per member.
                    ["persistentvolumeclaims"] = new(plan.Members.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    ["requests.storage"] = new(Quantity.FormatBytes(plan.StorageBytes)),
                },
            },
        };
    }

    public static V1LimitRange LimitRange(Tenant tenant) => new()
    {
        ApiVersion = "v1",
        Kind = "LimitRange",
        Metadata = Metadata(Required(tenant), LimitRangeName),
        Spec = new V1LimitRangeSpec
        {
            Limits =
            [
                new V1LimitRangeItem
                {
                    Type = "Container",
                    DefaultProperty = new Dictionary<string, ResourceQuantity> { ["memory"] = new("2Gi"), ["cpu"] = new("1") },
                    DefaultRequest = new Dictionary<string, ResourceQuantity> { ["memory"] = new("512Mi"), ["cpu"] = new("250m") },
                    Max = new Dictionary<string, ResourceQuantity> { ["memory"] = new(Quantity.FormatBytes(tenant.Plan.MemoryBytes)) },
                },
            ],
        },
    };

    public static IReadOnlyList<V1NetworkPolicy> NetworkPolicies(Tenant tenant, KubernetesRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sessions = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [SessionLabels.ManagedBy] = SessionLabels.ManagedByValue } };
        return
        [
            Policy(Required(tenant), DefaultDeny, new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector(),
                PolicyTypes = ["Ingress", "Egress"],
            }),
            Policy(tenant, GatewayIngress, new V1NetworkPolicySpec
            {
                PodSelector = sessions,
                PolicyTypes = ["Ingress"],
                Ingress =
                [
                    new V1NetworkPolicyIngressRule
                    {
                        FromProperty =
                        [
                            new V1NetworkPolicyPeer
                            {
                                NamespaceSelector = new V1LabelSelector
                                {
                                    MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = options.GatewayNamespace },
                                },
                                PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(options.GatewayPodLabels) },
                            },
                        ],
                    },
                ],
            }),
            Policy(tenant, DnsEgress, new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector(),
                PolicyTypes = ["Egress"],
                Egress =
                [
                    new V1NetworkPolicyEgressRule
                    {
                        To =
                        [
                            new V1NetworkPolicyPeer
                            {
                                NamespaceSelector = new V1LabelSelector
                                {
                                    MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "kube-system" },
                                },
                                PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["k8s-app"] = "kube-dns" } },
                            },
                        ],
                        Ports = [new V1NetworkPolicyPort { Protocol = "UDP", Port = 53 }, new V1NetworkPolicyPort { Protocol = "TCP", Port = 53 }],
                    },
                ],
            }),
            Policy(tenant, NetworkEgress, new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [SessionLabels.Network] = "true" } },
                PolicyTypes = ["Egress"],
                Egress =
                [
                    new V1NetworkPolicyEgressRule
                    {
                        To =
                        [
                            new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0", Except = ClosedRanges } },
                            new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "::/0", Except = ["fc00::/7", "fe80::/10"] } },
                        ],
                    },
                ],
            }),
        ];
    }

    public static V1ServiceAccount SessionServiceAccount(Tenant tenant) => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = Metadata(Required(tenant), SessionManifests.SessionServiceAccount),
        AutomountServiceAccountToken = false,
    };

    public static V1RoleBinding GatewaySecretsBinding(Tenant tenant, KubernetesRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Binding(tenant, GatewayBinding, options.GatewayClusterRole, options.GatewayServiceAccount, options.GatewayNamespace);
    }

    /// <summary>Workers' own rights in the namespace (the tenant ClusterRole): the first object Workers create in it.</summary>
    public static V1RoleBinding WorkersBinding(Tenant tenant, KubernetesRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Binding(tenant, WorkersBindingName, options.TenantClusterRole, options.WorkersServiceAccount, options.WorkersNamespace);
    }

    /// <summary>A ClusterRole granted in the tenant's namespace only, to one service account.</summary>
    private static V1RoleBinding Binding(Tenant tenant, string name, string clusterRole, string serviceAccount, string serviceAccountNamespace) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "RoleBinding",
        Metadata = Metadata(Required(tenant), name),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = clusterRole },
        Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = serviceAccount, NamespaceProperty = serviceAccountNamespace }],
    };

    private static V1NetworkPolicy Policy(Tenant tenant, string name, V1NetworkPolicySpec spec) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "NetworkPolicy",
        Metadata = Metadata(tenant, name),
        Spec = spec,
    };

    private static V1ObjectMeta Metadata(Tenant tenant, string name) => new()
    {
        Name = name,
        NamespaceProperty = SessionLabels.Namespace(tenant.Slug),
        Labels = new Dictionary<string, string> { [SessionLabels.Tenant] = tenant.Slug, [SessionLabels.ManagedBy] = SessionLabels.ManagedByValue },
    };

    private static Tenant Required(Tenant tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return tenant;
    }
}
