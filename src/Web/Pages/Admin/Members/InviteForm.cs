namespace StreamSpace.Web.Pages.Admin.Members;

/// <summary>The invite form, and after a successful invite the link to hand over.</summary>
public sealed class InviteForm
{
    public string? Email { get; set; }

    public string Role { get; set; } = Domain.Members.MemberRole.User;

    public Guid? TierId { get; set; }

    public string? Problem { get; set; }

    /// <summary>What is wrong with the e-mail address, shown under its field.</summary>
    public string? EmailError { get; set; }

    public Uri? Link { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public IReadOnlyList<TierChoice> Tiers { get; set; } = [];
}
