using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using StreamSpace.Infrastructure.Features.Catalog;

namespace StreamSpace.Web.Pages;

/// <summary>
/// An admin's YAML import page (Template, User): pasted text or an uploaded file, all documents or none; problems come back
/// in the form (<paramref name="formPartial"/>, 422), success goes to the list (<paramref name="listPage"/>).
/// </summary>
public abstract class YamlImportModel(string kind, string formPartial, string listPage) : PageModel
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
        (Yaml, var problem) = await YamlUpload.ReadAsync(Upload, Yaml, kind, cancellationToken);
        if (problem is not null)
        {
            return Refused([problem]);
        }

        var problems = await ImportAsync(Yaml!, cancellationToken);
        if (problems.Count > 0)
        {
            return Refused(problems);
        }

        var list = Url.Page(listPage)!;
        if (!Request.IsHtmx())
        {
            return Redirect(list);
        }

        Response.Htmx(headers => headers.Redirect(list));
        return new EmptyResult();
    }

    /// <summary>Imports every document, or none and says why.</summary>
    protected abstract Task<IReadOnlyList<TemplateProblem>> ImportAsync(string yaml, CancellationToken cancellationToken);

    private IActionResult Refused(IReadOnlyList<TemplateProblem> problems)
    {
        Problems = problems;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Request.IsHtmx() ? Partial(formPartial, this) : Page();
    }
}
