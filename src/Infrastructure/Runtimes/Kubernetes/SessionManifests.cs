using System.Text;
using k8s.Models;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Features.Catalog;

namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

/// <summary>
/// Every object one session is made of, built in one place: the member's home claim, the Session resource, and the session's
/// Deployment, Service and VNC Secret (owned by the Session resource, so deleting it with kubectl cleans them up too).
/// </summary>
public static class SessionManifests
{
    public const string ContainerName = "session";
    public const string SessionServiceAccount = "streamspace-session";
    public const string VncPasswordKey = "password";
    public const string NetworkCapability = "network";
    private const long LinuxServerUid = 1000;

    private static readonly Lazy<HashSet<string>> CatalogImages = new(() => [.. BuiltInTemplates.All.Select(t => t.Image)]);

    /// <summary>
    /// The shipped catalog's public images follow <see cref="KubernetesRuntimeOptions.ImagePullPolicy"/>; any other image is
    /// pulled <c>Always</c>, so the kubelet checks this pod may pull it instead of starting another tenant's cached private image.
    /// </summary>
    public static string PullPolicy(SessionSpec spec, KubernetesRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return CatalogImages.Value.Contains(Required(spec).Image) ? options.ImagePullPolicy : "Always";
    }

    public static string HomeMountPath(SessionSpec spec) => ImageConventions.HomeMountPath(Required(spec).Image);

    public static V1PersistentVolumeClaim HomeClaim(SessionSpec spec, KubernetesRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var size = Required(spec).HomeStorageBytes > 0 ? spec.HomeStorageBytes : Quantity.ParseBytes("10Gi");
        return new V1PersistentVolumeClaim
        {
            ApiVersion = "v1",
            Kind = "PersistentVolumeClaim",
            Metadata = new V1ObjectMeta
            {
                Name = SessionLabels.Home(spec.MemberId),
                NamespaceProperty = SessionLabels.Namespace(spec.TenantSlug),
                Labels = new Dictionary<string, string>
                {
                    [SessionLabels.Tenant] = spec.TenantSlug,
                    [SessionLabels.Member] = spec.MemberId.ToString("D"),
                    [SessionLabels.ManagedBy] = SessionLabels.ManagedByValue,
                },
            },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = [options.HomeAccessMode],
                StorageClassName = string.IsNullOrWhiteSpace(options.StorageClassName) ? null : options.StorageClassName,
                Resources = new V1VolumeResourceRequirements
                {
                    Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(Quantity.FormatBytes(size)) },
                },
            },
        };
    }

    /// <summary>The Session resource as the portal writes it; status is written separately through the status subresource.</summary>
    public static SessionResource Resource(SessionSpec spec) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = ResourceName(Required(spec)),
            NamespaceProperty = SessionLabels.Namespace(spec.TenantSlug),
            Labels = Labels(spec),
        },
        Spec = new SessionResourceSpec
        {
            User = spec.MemberName,
            Template = spec.TemplateName,
            Resources = new SessionResourceQuantities
            {
                Memory = Quantity.FormatBytes(spec.MemoryBytes),
                Cpu = Quantity.FormatMillicores(spec.CpuMillicores),
            },
        },
    };

    /// <summary>The Session resource's name: the portal's session name when it is a DNS label, else one made from the id.</summary>
    public static string ResourceName(SessionSpec spec) =>
        Required(spec).SessionName is { Length: > 0 and <= 63 } name && IsDnsLabel(name) ? name : SessionLabels.Workload(spec.SessionId);

    public static V1Secret VncSecret(SessionSpec spec, string password, V1OwnerReference owner) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = Metadata(Required(spec), SessionLabels.VncSecret(spec.SessionId), owner),
        Type = "Opaque",
        Data = new Dictionary<string, byte[]> { [VncPasswordKey] = Encoding.UTF8.GetBytes(password) },
    };

    public static V1Deployment Deployment(SessionSpec spec, KubernetesRuntimeOptions options, V1OwnerReference owner, int replicas)
    {
        ArgumentNullException.ThrowIfNull(options);
        var linuxServer = ImageConventions.IsLinuxServerImage(Required(spec).Image);
        var cpu = Math.Max(spec.CpuMillicores, options.MinimumCpuMillicores);
        var resources = new Dictionary<string, ResourceQuantity>
        {
            ["memory"] = new(Quantity.FormatBytes(spec.MemoryBytes)),
            ["cpu"] = new(Quantity.FormatMillicores(cpu)),
        };
        // The user ids are the runtime's even when a spec carries them (import refuses them; older rows may not have been).
        var env = ImageConventions.Environment(spec, LinuxServerUid)
            .Select(pair => new V1EnvVar { Name = pair.Key, Value = pair.Value })
            .ToList();
        if (spec.Protocol == StreamProtocol.Rfb && spec.UseVncAuth)
        {
            env.Add(new V1EnvVar
            {
                Name = ImageConventions.VncPasswordVariable,
                ValueFrom = new V1EnvVarSource
                {
                    SecretKeyRef = new V1SecretKeySelector { Name = SessionLabels.VncSecret(spec.SessionId), Key = VncPasswordKey },
                },
            });
        }

        var labels = Labels(spec);
        if (spec.HasCapability(NetworkCapability))
        {
            labels[SessionLabels.Network] = "true";
        }

        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = Metadata(spec, SessionLabels.Workload(spec.SessionId), owner),
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,

                // One pod at a time: two would share the home and the VNC password's single viewer.
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [SessionLabels.Session] = spec.SessionId.ToString("D") } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = SessionServiceAccount,
                        AutomountServiceAccountToken = false,
                        EnableServiceLinks = false,
                        SecurityContext = new V1PodSecurityContext
                        {
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                            RunAsNonRoot = linuxServer ? null : true,
                            RunAsUser = linuxServer ? null : LinuxServerUid,
                            RunAsGroup = linuxServer ? null : LinuxServerUid,
                            FsGroup = LinuxServerUid,
                        },
                        Containers =
                        [
                            new V1Container
                            {
                                Name = ContainerName,
                                Image = spec.Image,
                                ImagePullPolicy = PullPolicy(spec, options),
                                Ports = [new V1ContainerPort { Name = PortName(spec), ContainerPort = spec.Port, Protocol = "TCP" }],
                                Env = env,
                                Resources = new V1ResourceRequirements { Requests = resources, Limits = resources },
                                SecurityContext = new V1SecurityContext
                                {
                                    AllowPrivilegeEscalation = false,
                                    Privileged = false,
                                    Capabilities = new V1Capabilities { Drop = ["ALL"], Add = linuxServer ? [.. ImageConventions.LinuxServerCapabilities] : null },
                                },
                                ReadinessProbe = new V1Probe
                                {
                                    TcpSocket = new V1TCPSocketAction { Port = PortName(spec) },
                                    PeriodSeconds = 2,
                                    FailureThreshold = 3,
                                },
                                VolumeMounts =
                                [
                                    new V1VolumeMount { Name = "home", MountPath = HomeMountPath(spec) },
                                    new V1VolumeMount { Name = "shm", MountPath = "/dev/shm" },
                                ],
                            },
                        ],
                        Volumes =
                        [
                            new V1Volume
                            {
                                Name = "home",
                                PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = SessionLabels.Home(spec.MemberId) },
                            },

                            // Browsers and Electron apps crash with the container runtime's 64 MB /dev/shm.
                            new V1Volume
                            {
                                Name = "shm",
                                EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity("1Gi") },
                            },
                        ],
                    },
                },
            },
        };
    }

    public static V1Service Service(SessionSpec spec, V1OwnerReference owner) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = Metadata(Required(spec), SessionLabels.Workload(spec.SessionId), owner),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = new Dictionary<string, string> { [SessionLabels.Session] = spec.SessionId.ToString("D") },
            Ports = [new V1ServicePort { Name = PortName(spec), Port = spec.Port, TargetPort = PortName(spec), Protocol = "TCP" }],
        },
    };

    /// <summary>Where the gateway (RFB) or the reverse proxy (http) reaches the session: its Service's cluster DNS name.</summary>
    public static SessionEndpoint Endpoint(SessionSpec spec, KubernetesRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = $"{SessionLabels.Workload(Required(spec).SessionId)}.{SessionLabels.Namespace(spec.TenantSlug)}.svc.{options.ClusterDomain}";
        return spec.Protocol == StreamProtocol.Rfb
            ? new SessionEndpoint(StreamProtocol.Rfb, $"tcp:{host}:{spec.Port}")
            : new SessionEndpoint(StreamProtocol.Http, $"http://{host}:{spec.Port}");
    }

    public static V1OwnerReference OwnerReference(string name, string uid) => new()
    {
        ApiVersion = SessionLabels.ApiVersion,
        Kind = SessionResource.ResourceKind,
        Name = name,
        Uid = uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    public static Dictionary<string, string> Labels(SessionSpec spec) => new()
    {
        [SessionLabels.Tenant] = Required(spec).TenantSlug,
        [SessionLabels.Member] = spec.MemberId.ToString("D"),
        [SessionLabels.Session] = spec.SessionId.ToString("D"),
        [SessionLabels.Template] = spec.TemplateName,
        [SessionLabels.ManagedBy] = SessionLabels.ManagedByValue,
    };

    private static string PortName(SessionSpec spec) => spec.Protocol == StreamProtocol.Rfb ? "vnc" : "http";

    private static V1ObjectMeta Metadata(SessionSpec spec, string name, V1OwnerReference owner) => new()
    {
        Name = name,
        NamespaceProperty = SessionLabels.Namespace(spec.TenantSlug),
        Labels = Labels(spec),
        OwnerReferences = [owner],
    };

    private static bool IsDnsLabel(string name) =>
        name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && name[0] != '-' && name[^1] != '-';

    private static SessionSpec Required(SessionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec;
    }
}
