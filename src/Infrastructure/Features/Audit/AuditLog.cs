using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Infrastructure.Features.Audit;

/// <summary>Reads the tenant's audit log (newest first) for the audit page and its CSV export; it never changes an event.</summary>
public sealed class AuditLog(StreamSpaceDb db)
{
    public const int PageSize = 50;

    /// <summary>The events after <paramref name="after"/> (older than it), keyset-paginated on (at, id) so deep pages cost the same.</summary>
    public async Task<AuditPage> PageAsync(AuditFilter filter, AuditCursor? after, CancellationToken cancellationToken)
    {
        var query = Filtered(filter);
        if (after is not null)
        {
            query = query.Where(e => e.At < after.At || (e.At == after.At && e.Id < after.Id));
        }

        var entries = await Project(query).Take(PageSize + 1).ToListAsync(cancellationToken);
        if (entries.Count <= PageSize)
        {
            return new AuditPage(entries, null);
        }

        entries.RemoveAt(PageSize);
        return new AuditPage(entries, new AuditCursor(entries[^1].At, entries[^1].Id));
    }

    /// <summary>Every event of the filter, streamed from the database, for the CSV export.</summary>
    public async IAsyncEnumerable<AuditEntry> AllAsync(AuditFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entry in Project(Filtered(filter)).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return entry;
        }
    }

    private IQueryable<AuditEvent> Filtered(AuditFilter filter)
    {
        var query = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            var pattern = Contains(filter.Actor);
            query = query.Where(e => EF.Functions.ILike(e.Actor, pattern, @"\"));
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            var action = filter.Action.Trim();
            query = query.Where(e => e.Action == action);
        }

        if (!string.IsNullOrWhiteSpace(filter.Target))
        {
            var pattern = Contains(filter.Target);
            query = query.Where(e => EF.Functions.ILike(e.Target, pattern, @"\"));
        }

        if (filter.From is { } from)
        {
            query = query.Where(e => e.At >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(e => e.At < to);
        }

        return query;
    }

    private static IQueryable<AuditEntry> Project(IQueryable<AuditEvent> query) =>
        query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Select(e => new AuditEntry(e.Id, e.At, e.Actor, e.Action, e.Target, e.SourceIp, e.Details));

    /// <summary>A case-insensitive "contains" pattern in which the admin's text matches literally (% and _ included).</summary>
    private static string Contains(string text) =>
        "%" + text.Trim().Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
}
