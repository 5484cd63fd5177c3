using StreamSpace.Web.Catalog;

namespace StreamSpace.Web.Pages.Catalog;

/// <param name="RunsOnThisRuntime">Whether this installation can start the template (a sandbox, a container engine or Kubernetes for it).</param>
/// <param name="NotOnThisRuntime">When it cannot, why ("needs a container engine").</param>
/// <param name="LaunchRefusal">Why the member's quota or the plan would refuse a launch right now; null when it fits.</param>
/// <param name="ServesOwnWebClient">An <c>http</c> template: the proxy tells input from traffic only for the clients it can read.</param>
public sealed record TemplateCard(
    string Name,
    string DisplayName,
    string Description,
    string Category,
    CatalogIcon Icon,
    string Memory,
    string Cpu,
    bool RunsOnThisRuntime,
    string? LaunchRefusal,
    bool ServesOwnWebClient,
    string? NotOnThisRuntime = null);
