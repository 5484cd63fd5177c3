using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Web.Pages.Admin;

public sealed class IndexModel(StreamSpaceDb db) : PageModel
{
    public int MemberCount { get; private set; }

    public int LiveSessionCount { get; private set; }

    public IReadOnlyList<TierSummary> Tiers { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        MemberCount = await db.Users.CountAsync(cancellationToken);
        LiveSessionCount = await db.Sessions.CountAsync(
            s => s.State != SessionState.Terminated && s.State != SessionState.Failed, cancellationToken);
        var tiers = await db.Tiers.OrderBy(t => t.MemoryBytes).ThenBy(t => t.Name)
            .Select(t => new { t.Name, t.MemoryBytes, t.MaxSessions, t.MaxSessionDuration, t.IdleTimeout })
            .ToListAsync(cancellationToken);
        Tiers = tiers.Select(t => new TierSummary(
            t.Name, Quantity.FormatBytes(t.MemoryBytes), t.MaxSessions, Quantity.FormatDuration(t.MaxSessionDuration), Quantity.FormatDuration(t.IdleTimeout)))
            .ToList();
    }
}
