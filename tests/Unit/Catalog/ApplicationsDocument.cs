using System.Globalization;
using System.Text;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Features.Catalog;

namespace StreamSpace.Tests.Unit.Catalog;

/// <summary>Renders docs/applications.md from the shipped catalog: one table per category, in the catalog's category order.</summary>
public static class ApplicationsDocument
{
    public const string RegenerateVariable = "STREAMSPACE_WRITE_DOCS";

    public const string RegenerateCommand =
        RegenerateVariable + "=1 dotnet test tests/Unit -c Release --filter \"FullyQualifiedName~ApplicationsDocumentTests\"";

    public static string Path => System.IO.Path.Combine(StreamSpace.Tests.Support.Repository.Root, "docs", "applications.md");

    public static string Render(IReadOnlyList<TemplateDefinition> templates)
    {
        ArgumentNullException.ThrowIfNull(templates);
        var local = templates.Count(t => t.LocalCommand is not null);
        var text = new StringBuilder();
        text.Append("# Applications\n\n")
            .Append("<!-- Generated from src/Infrastructure/Features/Catalog/Templates/*.yaml; do not edit by hand. Regenerate with:\n")
            .Append("     ").Append(RegenerateCommand).Append(" -->\n\n")
            .Append(CultureInfo.InvariantCulture, $"The catalog that ships with StreamSpace holds **{templates.Count} applications**. ")
            .Append(CultureInfo.InvariantCulture, $"On one machine (`make run`) {local} of them are host apps in a bubblewrap sandbox with its own Xvnc, ")
            .Append("streamed over VNC through the portal's gateway; the others run their image as a container under Docker or Podman ")
            .Append("([docs/runtime-containers.md](runtime-containers.md)), and without an engine their cards say *needs a container engine* ")
            .Append("instead of offering **Launch**. On Kubernetes every template runs its image ([docs/kubernetes.md](kubernetes.md)). ")
            .Append("How a template is written: [docs/templates.md](templates.md).\n\n");

        var categories = TemplateCategories.All.Where(c => templates.Any(t => t.Category == c)).ToList();
        text.Append("| category | applications |\n|---|---|\n");
        foreach (var category in categories)
        {
            text.Append(CultureInfo.InvariantCulture, $"| [{category}](#{Anchor(category)}) | {templates.Count(t => t.Category == category)} |\n");
        }

        foreach (var category in categories)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## {category}\n\n")
                .Append("| application | template | image | streams | on one machine |\n|---|---|---|---|---|\n");
            foreach (var template in templates.Where(t => t.Category == category).OrderBy(t => t.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(t => t.Name, StringComparer.Ordinal))
            {
                var streams = template.Protocol == StreamProtocol.Rfb ? "VNC (RFB), through the gateway" : $"http, port {template.Port}";
                var runs = template.LocalCommand is null ? "container" : $"sandbox: `{template.LocalCommand}`";
                text.Append(CultureInfo.InvariantCulture, $"| {Cell(template.DisplayName)} | `{template.Name}` | `{template.Image}` | {streams} | {runs} |\n");
            }
        }

        return text.ToString();
    }

    /// <summary>GitHub's heading anchors: lowercase, spaces become hyphens.</summary>
    private static string Anchor(string heading) => heading.ToLowerInvariant().Replace(' ', '-');

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
