using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Members;

namespace StreamSpace.Web.Pages.Admin.Members;

/// <summary>Sets members' tiers and overrides from pasted or uploaded User YAML (the README's <c>kind: User</c>): all documents, or none.</summary>
public sealed class ImportModel(TenantMembers members) : PageModel
{
    public const long MaxUploadBytes = 1 << 20;

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
        if (Upload is { Length: > 0 })
        {
            if (Upload.Length > MaxUploadBytes)
            {
                return Refused(new TemplateProblem(1, null, "the file is larger than 1 MiB"));
            }

            using var reader = new StreamReader(Upload.OpenReadStream());
            Yaml = await reader.ReadToEndAsync(cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(Yaml))
        {
            return Refused(new TemplateProblem(1, null, "paste User YAML or choose a file"));
        }

        var result = await members.ImportAsync(Yaml, cancellationToken);
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
            // htmx swaps only 2xx responses: the problems come back as a 200 partial.
            return Partial("_UserImportForm", this);
        }

        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
