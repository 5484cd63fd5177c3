namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

/// <summary>The labels every object StreamSpace creates carries, and the names it gives them.</summary>
public static class SessionLabels
{
    public const string Tenant = "stream.space/tenant";
    public const string Member = "stream.space/member";
    public const string Session = "stream.space/session";
    public const string Template = "stream.space/template";
    /// <summary>On session pods whose template has the <c>network</c> capability: the tenant's egress policy lets them out.</summary>
    public const string Network = "stream.space/network";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "streamspace";
    public const string FieldManager = "streamspace";

    public const string Group = "stream.space";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;

    public static string Namespace(string tenantSlug) => $"ss-{tenantSlug}";

    /// <summary>The namespace <c>ss-{tenant}</c> names a tenant; other namespaces are none of ours.</summary>
    public static string? TenantSlug(string? ns) => ns is { Length: > 3 } && ns.StartsWith("ss-", StringComparison.Ordinal) ? ns[3..] : null;

    /// <summary>Deployment, Service and Secret of one session share this name (a DNS label: under 63 characters).</summary>
    public static string Workload(Guid sessionId) => $"session-{sessionId:N}";

    public static string Home(Guid memberId) => $"home-{memberId:D}";

    public static string VncSecret(Guid sessionId) => $"session-{sessionId:N}-vnc";

    public static string SessionSelector(Guid sessionId) => $"{Session}={sessionId:D}";

    public static string ManagedSelector => $"{ManagedBy}={ManagedByValue}";
}
