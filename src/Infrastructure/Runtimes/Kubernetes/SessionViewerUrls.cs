using Microsoft.Extensions.Options;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

/// <summary>The address a Session resource's <c>status.url</c> shows: the session's viewer on its tenant's portal host.</summary>
public sealed class SessionViewerUrls(IOptions<TenancyOptions> tenancy, IOptions<KubernetesRuntimeOptions> options)
{
    /// <summary><c>https://acme.streamspace.example.com/sessions/{id}/view</c>.</summary>
    public string For(string tenantSlug, Guid sessionId) =>
        new UriBuilder(options.Value.PortalScheme, $"{tenantSlug}.{tenancy.Value.BaseDomain.TrimStart('.')}")
        {
            Port = options.Value.PortalPort ?? -1,
            Path = $"sessions/{sessionId:D}/view",
        }.Uri.ToString();
}
