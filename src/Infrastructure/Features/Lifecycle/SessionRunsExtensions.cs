using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Usage;

namespace StreamSpace.Infrastructure.Features.Lifecycle;

public static class SessionRunsExtensions
{
    /// <summary>Closes the session's metered running period, if one is open; saved with the caller's unit of work.</summary>
    public static async Task EndOpenAsync(this DbSet<SessionRun> runs, Guid sessionId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        foreach (var run in await runs.Where(r => r.SessionId == sessionId && r.EndedAt == null).ToListAsync(cancellationToken))
        {
            run.End(at);
        }
    }
}
