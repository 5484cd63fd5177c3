using System.Security.Claims;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Common;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Sessions;

namespace StreamSpace.Web.Pages.Catalog;

public sealed class IndexModel(StreamSpaceDb db, MemberSessions sessions) : PageModel
{
    public IReadOnlyList<TemplateCard> Templates { get; private set; } = [];

    public string? LaunchError { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var rows = await db.Templates
            .OrderBy(t => t.Category).ThenBy(t => t.DisplayName)
            .Select(t => new { t.Name, t.DisplayName, t.Description, t.Category, t.Icon, t.DefaultMemoryBytes, t.DefaultCpuMillicores, t.LocalCommand })
            .ToListAsync(cancellationToken);
        Templates = rows
            .Select(t => new TemplateCard(
                t.Name, t.DisplayName, t.Description, t.Category, t.Icon,
                Quantity.FormatBytes(t.DefaultMemoryBytes), Quantity.FormatMillicores(t.DefaultCpuMillicores), t.LocalCommand is not null))
            .ToList();
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

            await OnGetAsync(cancellationToken);
            return Page();
        }
    }
}
