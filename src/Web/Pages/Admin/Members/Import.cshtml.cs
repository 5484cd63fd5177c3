using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Members;

namespace StreamSpace.Web.Pages.Admin.Members;

/// <summary>Sets members' tiers and overrides from pasted or uploaded User YAML (the README's <c>kind: User</c>): all documents, or none.</summary>
public sealed class ImportModel(TenantMembers members) : PageModel
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
        (Yaml, var problem) = await YamlUpload.ReadAsync(Upload, Yaml, "User", cancellationToken);
        if (problem is not null)
        {
            return Refused(problem);
        }

        var result = await members.ImportAsync(Yaml!, cancellationToken);
        if (!result.Succeeded)
        {
            return Refused([.. result.Problems]);
        }

        var list = Url.Page("/Admin/Members/Index")!;
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
        if (Request.IsHtmx())
        {
            // The problems come back to htmx as a 200 partial; the page without JavaScript answers 422.
            return Partial("_UserImportForm", this);
        }

        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
