using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Members;

namespace StreamSpace.Web.Pages.Admin.Members;

/// <summary>Sets members' tiers and overrides from pasted or uploaded User YAML (the README's <c>kind: User</c>): all documents, or none.</summary>
public sealed class ImportModel(TenantMembers members) : YamlImportModel("User", "_UserImportForm", "/Admin/Members/Index")
{
    protected override async Task<IReadOnlyList<TemplateProblem>> ImportAsync(string yaml, CancellationToken cancellationToken) =>
        (await members.ImportAsync(yaml, cancellationToken)).Problems;
}
