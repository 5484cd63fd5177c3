using StreamSpace.Infrastructure.Features.Catalog;

namespace StreamSpace.Web.Pages.Admin.Templates;

/// <summary>Adds the organisation's templates from pasted or uploaded Template YAML: all documents, or none.</summary>
public sealed class ImportModel(TenantTemplates templates) : YamlImportModel("Template", "_ImportForm", "/Admin/Templates/Index")
{
    protected override async Task<IReadOnlyList<TemplateProblem>> ImportAsync(string yaml, CancellationToken cancellationToken) =>
        (await templates.ImportAsync(yaml, cancellationToken)).Problems;
}
