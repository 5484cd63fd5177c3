using StreamSpace.Web.Catalog;

namespace StreamSpace.Web.Pages.Catalog;

/// <param name="RunsOnThisRuntime">
/// Whether this installation's runtime can start the template (today: the local runtime, so only templates with a local
/// command). This is the seam for quota admission: when it exists, it decides per member whether Launch is offered.
/// </param>
public sealed record TemplateCard(
    string Name,
    string DisplayName,
    string Description,
    string Category,
    CatalogIcon Icon,
    string Memory,
    string Cpu,
    bool RunsOnThisRuntime);
