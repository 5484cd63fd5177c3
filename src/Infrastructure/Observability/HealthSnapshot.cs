using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StreamSpace.Infrastructure.Observability;

/// <summary>One health report as the platform health page shows it.</summary>
public sealed record HealthSnapshot(DateTimeOffset At, HealthStatus Status, TimeSpan Duration, IReadOnlyList<HealthEntrySnapshot> Entries);
