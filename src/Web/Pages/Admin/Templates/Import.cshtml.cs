using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using StreamSpace.Infrastructure.Features.Catalog;

namespace StreamSpace.Web.Pages.Admin.Templates;

/// <summary>Adds the organisation's templates from pasted or uploaded Template YAML: all documents, or none.</summary>
public sealed class ImportModel(TenantTemplates templates) : PageModel
{
    [BindProperty]
    public string? Yaml { get; set; }

    [BindProperty]
    public IFormFile? Upload { get; set; }

    public IReadOnlyList<TemplateProblem> Problems { get; private set; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        (Yaml, var problem) = await YamlUpload.ReadAsync(Upload, Yaml, "Template", cancellationToken);
        if (problem is not null)
        {
            return Refused(problem);
        }

        var result = await templates.ImportAsync(Yaml!, cancellationToken);
        if (!result.Succeeded)
        {
            return Refused([.. result.Problems]);
        }

        var list = Url.Page("/Admin/Templates/Index")!;
        if (!Request.IsHtmx())
        {
            return Redirect(list);
        }

        Response.Htmx(headers => headers.Redirect(list));
        return new EmptyResult();
    }

    private IActionResult Refused(params TemplateProblem[] problems)
    {
        Problems = problems;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Request.IsHtmx() ? Partial("_ImportForm", this) : Page();
    }
}
