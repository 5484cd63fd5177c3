namespace StreamSpace.Web.Pages.Admin.Members;

/// <summary>One member as the table shows it.</summary>
public sealed record MemberRow(
    Guid Id,
    string Email,
    string DisplayName,
    string Tier,
    bool Disabled,
    int LiveSessions,
    MemberForm Form,
    IReadOnlyList<TierChoice> Tiers,
    string? Problem = null);
