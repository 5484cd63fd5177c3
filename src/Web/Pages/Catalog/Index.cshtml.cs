using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Common;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Web.Pages.Catalog;

public sealed class IndexModel(StreamSpaceDb db) : PageModel
{
    public IReadOnlyList<TemplateCard> Templates { get; private set; } = [];

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
}
