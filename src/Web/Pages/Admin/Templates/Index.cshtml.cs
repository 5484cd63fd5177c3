using System.Text;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Catalog;

namespace StreamSpace.Web.Pages.Admin.Templates;

public sealed class IndexModel(StreamSpaceDb db, TenantTemplates templates) : PageModel
{
    public IReadOnlyList<TemplateRow> Rows { get; private set; } = [];

    /// <summary>Set by the editor after a save, shown once on the list it redirects to.</summary>
    [TempData]
    public string? Saved { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Rows = await Project(db.Templates.OrderBy(t => t.TenantId == null).ThenBy(t => t.Category).ThenBy(t => t.DisplayName))
            .ToListAsync(cancellationToken);

    /// <summary>The template as a Template YAML document, downloaded as <c>{name}.yaml</c>.</summary>
    public async Task<IActionResult> OnGetExportAsync(string name, CancellationToken cancellationToken)
    {
        var yaml = await templates.ExportAsync(name, cancellationToken);
        return yaml is null ? NotFound() : File(Encoding.UTF8.GetBytes(yaml), "application/yaml", $"{name}.yaml");
    }

    public Task<IActionResult> OnPostEnableAsync(string name, CancellationToken cancellationToken) =>
        ChangeAsync(name, templates.EnableAsync, cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(string name, CancellationToken cancellationToken) =>
        ChangeAsync(name, templates.DisableAsync, cancellationToken);

    private async Task<IActionResult> ChangeAsync(string name, Func<string, CancellationToken, Task> change, CancellationToken cancellationToken)
    {
        try
        {
            await change(name, cancellationToken);
        }
        catch (TemplateNotFoundException)
        {
            return NotFound();
        }

        if (!Request.IsHtmx())
        {
            return RedirectToPage();
        }

        return Partial("_TemplateRow", await Project(db.Templates.Where(t => t.Name == name)).SingleAsync(cancellationToken));
    }

    private IQueryable<TemplateRow> Project(IQueryable<Template> templates) =>
        templates.Select(t => new TemplateRow(
            t.Name, t.DisplayName, t.Category, t.Image, t.TenantId != null, !db.DisabledTemplates.Any(d => d.TemplateId == t.Id)));
}
