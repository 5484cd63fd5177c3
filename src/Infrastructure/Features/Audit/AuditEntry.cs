namespace StreamSpace.Infrastructure.Features.Audit;

public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string Action, string Target, string? SourceIp, string? Details);
