using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Catalog;

namespace StreamSpace.Web.Pages.Admin.Templates;

/// <summary>Creates a template of the organisation (no name in the route) or edits one of its own.</summary>
public sealed class EditModel(StreamSpaceDb db, TenantTemplates templates) : PageModel
{
    /// <summary>Problem fields (<c>spec.defaultResources.memory</c>) by the form field that shows them, and that field's label.</summary>
    private static readonly (string Prefix, string Field, string Label)[] FieldsByPath =
    [
        ("metadata.name", nameof(TemplateDraft.Name), "Name"),
        ("spec.displayName", nameof(TemplateDraft.DisplayName), "Display name"),
        ("spec.description", nameof(TemplateDraft.Description), "Description"),
        ("spec.category", nameof(TemplateDraft.Category), "Category"),
        ("spec.icon", nameof(TemplateDraft.Icon), "Icon"),
        ("spec.image", nameof(TemplateDraft.Image), "Image"),
        ("spec.defaultResources.memory", nameof(TemplateDraft.Memory), "Memory"),
        ("spec.defaultResources.cpu", nameof(TemplateDraft.Cpu), "CPU"),
        ("spec.ports", nameof(TemplateDraft.Ports), "Ports"),
        ("spec.env", nameof(TemplateDraft.Env), "Environment"),
        ("spec.capabilities", nameof(TemplateDraft.Capabilities), "Capabilities"),
        ("spec.tags", nameof(TemplateDraft.Tags), "Tags"),
        ("spec.localCommand", nameof(TemplateDraft.LocalCommand), "Local command"),
    ];

    [BindProperty(SupportsGet = true)]
    public string? Name { get; set; }

    [BindProperty]
    public TemplateDraft Draft { get; set; } = new() { Category = TemplateCategories.Custom, Memory = "2Gi", Cpu = "1", Ports = "http:3000" };

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public bool IsNew => Name is null;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Name is null)
        {
            return Page();
        }

        var template = await db.Templates.AsNoTracking().SingleOrDefaultAsync(t => t.Name == Name && t.TenantId != null, cancellationToken);
        if (template is null)
        {
            return NotFound();
        }

        Draft = TemplateDraft.From(template.ToDefinition());
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Name is not null)
        {
            Draft.Name = Name;
        }

        TemplateReadResult result;
        try
        {
            result = Name is null
                ? await templates.CreateAsync(Draft.ToYaml(), cancellationToken)
                : await templates.UpdateAsync(Name, Draft.ToYaml(), cancellationToken);
        }
        catch (TemplateNotFoundException)
        {
            return NotFound();
        }

        if (result.Succeeded)
        {
            TempData[nameof(IndexModel.Saved)] = Name is null ? $"Template {Draft.Name} created." : $"Template {Name} saved.";
            var list = Url.Page("/Admin/Templates/Index")!;
            if (!Request.IsHtmx())
            {
                return Redirect(list);
            }

            Response.Htmx(headers => headers.Redirect(list));
            return new EmptyResult();
        }

        foreach (var problem in result.Problems)
        {
            var (_, field, label) = FieldsByPath.FirstOrDefault(f => problem.Field?.StartsWith(f.Prefix, StringComparison.Ordinal) == true);
            field ??= string.Empty;
            // A clause such as "is required" names no field on its own: lead it with the field's label.
            var message = problem.Field is null || field.Length == 0 ? problem.ToString()
                : char.IsAsciiLetterLower(problem.Message[0]) ? $"{label} {problem.Message}"
                : problem.Message;
            Errors[field] = Errors.TryGetValue(field, out var earlier) ? $"{earlier}; {message}" : message;
        }

        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Request.IsHtmx() ? Partial("_TemplateForm", this) : Page();
    }

    public FieldMessage MessageFor(string field, string? hint = null) =>
        new($"{field.ToLowerInvariant()}-help", Errors.GetValueOrDefault(field), hint);
}
