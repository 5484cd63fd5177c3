using StreamSpace.Infrastructure.Identity;

namespace StreamSpace.Infrastructure.Features.Members;

/// <summary>The member an accepted invitation created, or what kept it from being accepted.</summary>
public sealed record InvitationAcceptance(Member? Member, IReadOnlyList<string> Problems)
{
    public bool Succeeded => Member is not null;

    public static InvitationAcceptance Refused(params string[] problems) => new(null, problems);
}
