using System.Security.Claims;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Runtimes;
using StreamSpace.Web.Catalog;

namespace StreamSpace.Web.Pages.Catalog;

public sealed class IndexModel(
    TenantCatalog catalog, MemberSessions sessions, QuotaAdmission admission, CatalogIcons icons, SessionPlacement placement) : PageModel
{

    /// <summary>The search text (<c>?q=</c>): matches name, description, category and tags, ignoring case.</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    public IReadOnlyList<TemplateCard> Templates { get; private set; } = [];

    /// <summary>The categories that have at least one template this member can see, for the filter.</summary>
    public IReadOnlyList<string> Categories { get; private set; } = [];

    public string? LaunchError { get; private set; }

    public bool IsFiltered => !string.IsNullOrWhiteSpace(Query) || !string.IsNullOrEmpty(Category);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Response.Headers.Vary = "HX-Request";
        await LoadAsync(cancellationToken);

        // Search-as-you-type swaps only the results; a history restore or a first visit needs the whole page.
        return Request.IsHtmx() && Request.Headers["HX-History-Restore-Request"] != "true"
            ? Partial("_Results", this)
            : Page();
    }

    /// <summary>Starts a session and opens its viewer, which shows the progress until the application is ready.</summary>
    public async Task<IActionResult> OnPostLaunchAsync(string template, CancellationToken cancellationToken)
    {
        try
        {
            var memberId = Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
            var session = await sessions.LaunchAsync(memberId, template, cancellationToken);
            var viewer = Url.Page("/Sessions/View", new { id = session.Id })!;
            if (!Request.IsHtmx())
            {
                return Redirect(viewer);
            }

            Response.Htmx(headers => headers.Redirect(viewer));
            return new EmptyResult();
        }
        catch (DomainException e)
        {
            LaunchError = e.Message;
            if (Request.IsHtmx())
            {
                return Partial("_LaunchError", this);
            }

            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var search = await catalog.SearchAsync(Query, Category, cancellationToken);
        Categories = search.Categories;
        var standing = await admission.PreviewAsync(Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!), cancellationToken);
        Templates = search.Templates
            .Select(t => (Template: t, Placement: placement.For(t.RunsLocally)))
            .Select(p => new TemplateCard(
                p.Template.Name, p.Template.DisplayName, p.Template.Description, p.Template.Category, icons.Resolve(p.Template.Icon, p.Template.Category),
                Quantity.FormatBytes(p.Template.MemoryBytes), Quantity.FormatMillicores(p.Template.CpuMillicores), p.Placement.CanLaunch,
                p.Placement.CanLaunch ? standing.Check(p.Template.MemoryBytes, p.Template.CpuMillicores)?.Message : null,
                p.Template.Protocol == StreamProtocol.Http,
                p.Placement.Refusal))
            .ToList();
    }
}
