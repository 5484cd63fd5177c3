namespace StreamSpace.Web.Pages.Admin.Tiers;

/// <summary>One tier as the table shows it, with how many members are in it.</summary>
public sealed record TierRow(TierForm Tier, int Members, bool IsDefault, string? Problem = null);
