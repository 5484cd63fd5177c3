using StreamSpace.Domain.Quotas;

namespace StreamSpace.Infrastructure.Features.Members;

/// <summary>One User document: who (<c>metadata.name</c>), which tier, which overrides; lines for problems found later.</summary>
public sealed record ParsedUser(string Name, int NameLine, string? Tier, int TierLine, QuotaOverrides Overrides);
