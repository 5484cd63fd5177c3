namespace StreamSpace.Infrastructure.Features.Members;

/// <summary>No such member in this tenant; answered 404 so another tenant's ids reveal nothing.</summary>
public sealed class MemberNotFoundException(Guid memberId) : Exception($"Member {memberId} was not found.")
{
    public Guid MemberId { get; } = memberId;
}
