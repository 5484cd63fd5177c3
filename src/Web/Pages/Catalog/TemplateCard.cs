namespace StreamSpace.Web.Pages.Catalog;

public sealed record TemplateCard(
    string Name,
    string DisplayName,
    string Description,
    string Category,
    string Icon,
    string Memory,
    string Cpu,
    bool RunsLocally);
