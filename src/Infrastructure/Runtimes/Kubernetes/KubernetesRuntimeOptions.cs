using System.ComponentModel.DataAnnotations;

namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

public sealed class KubernetesRuntimeOptions
{
    public const string Section = "Runtime:Kubernetes";

    /// <summary>Storage class of the members' home claims; empty uses the cluster's default class.</summary>
    public string? StorageClassName { get; set; }

    /// <summary>Homes are shared by every session of a member, which may run on different nodes: ReadWriteMany by default.</summary>
    [Required]
    [RegularExpression("^(ReadWriteMany|ReadWriteOnce|ReadWriteOncePod)$")]
    public string HomeAccessMode { get; set; } = "ReadWriteMany";

    /// <summary>Suffix of Service DNS names the gateway dials (<c>{service}.{namespace}.svc.{ClusterDomain}</c>).</summary>
    [Required]
    public string ClusterDomain { get; set; } = "cluster.local";

    /// <summary>Namespace of the Web pods (the gateway); the only source session pods accept traffic from.</summary>
    [Required]
    public string GatewayNamespace { get; set; } = "streamspace";

    /// <summary>Labels of the Web pods inside <see cref="GatewayNamespace"/>.</summary>
    public Dictionary<string, string> GatewayPodLabels { get; set; } = new()
    {
        ["app.kubernetes.io/name"] = "streamspace",
        ["app.kubernetes.io/component"] = "web",
    };

    /// <summary>The Web pods' service account; bound in every tenant namespace to <see cref="GatewayClusterRole"/> (read VNC Secrets).</summary>
    [Required]
    public string GatewayServiceAccount { get; set; } = "streamspace-web";

    /// <summary>A ClusterRole the Helm chart installs that allows <c>get</c> on Secrets; bound per tenant namespace only.</summary>
    [Required]
    public string GatewayClusterRole { get; set; } = "streamspace-gateway";

    /// <summary>Pull policy of the shipped catalog's images only; every other image (a tenant's own) is pulled <c>Always</c>.</summary>
    /// <summary>Namespace of the Workers' service account, which Workers bind in every tenant namespace they create.</summary>
    [Required]
    public string WorkersNamespace { get; set; } = "streamspace";

    [Required]
    public string WorkersServiceAccount { get; set; } = "streamspace-workers";

    /// <summary>
    /// The ClusterRole the Helm chart installs with what Workers do inside a tenant namespace (Deployments, Secrets, …); never
    /// bound cluster-wide, Workers bind it in each namespace they create.
    /// </summary>
    [Required]
    public string TenantClusterRole { get; set; } = "streamspace-workers-tenant";

    [Required]
    [RegularExpression("^(Always|IfNotPresent|Never)$")]
    public string ImagePullPolicy { get; set; } = "IfNotPresent";

    /// <summary>How long a launch may take from applying the Deployment to a ready pod (image pulls included).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a launch looks at its pod.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:30")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Where the Workers replicas elect the one that reconciles custom resources (a Lease).</summary>
    [Required]
    public string LeaseNamespace { get; set; } = "streamspace";

    [Required]
    public string LeaseName { get; set; } = "streamspace-workers";

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan LeaseRenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan LeaseRetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Scheme of the tenant portals' addresses, <c>{scheme}://{tenant}.{Tenancy:BaseDomain}</c>, from which a Session resource's
    /// <c>status.url</c> (the session's viewer) is made; the Helm chart sets it from <c>ingress.tls.enabled</c>.
    /// </summary>
    [Required]
    [RegularExpression("^https?$")]
    public string PortalScheme { get; set; } = "https";

    /// <summary>Port of those addresses when it is not the scheme's default (a NodePort, a port-forward).</summary>
    [Range(1, 65535)]
    public int? PortalPort { get; set; }

    /// <summary>Every container gets at least this much CPU limit when the session asks for less (millicores).</summary>
    [Range(10, 64000)]
    public int MinimumCpuMillicores { get; set; } = 100;
}
