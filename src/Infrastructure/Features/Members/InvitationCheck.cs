namespace StreamSpace.Infrastructure.Features.Members;

/// <summary>An invitation that can be accepted, or why it cannot, in words for the person holding the link.</summary>
public sealed record InvitationCheck(Invitation? Invitation, string? Problem)
{
    public bool IsValid => Invitation is not null && Problem is null;
}
