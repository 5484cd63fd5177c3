using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StreamSpace.Infrastructure.Observability;

public sealed record HealthEntrySnapshot(string Name, HealthStatus Status, string? Description, TimeSpan Duration);
