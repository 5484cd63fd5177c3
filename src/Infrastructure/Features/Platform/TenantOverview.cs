using StreamSpace.Domain.Tenants;

namespace StreamSpace.Infrastructure.Features.Platform;

public sealed record TenantOverview(string Slug, string DisplayName, TenantStatus Status, int Members, int LiveSessions, DateTimeOffset CreatedAt);
