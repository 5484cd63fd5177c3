namespace StreamSpace.Infrastructure.Features.Audit;

/// <summary>One page of the log, newest first; <see cref="Next"/> is null on the last page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, AuditCursor? Next);
