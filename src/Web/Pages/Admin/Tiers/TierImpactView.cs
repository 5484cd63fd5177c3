using StreamSpace.Infrastructure.Features.Tiers;

namespace StreamSpace.Web.Pages.Admin.Tiers;

/// <summary>The preview under a tier's editor: what saving would do, or why the values cannot be previewed yet.</summary>
public sealed record TierImpactView(Guid TierId, TierImpact? Impact, IReadOnlyList<string> Problems);
