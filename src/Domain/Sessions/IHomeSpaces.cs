namespace StreamSpace.Domain.Sessions;

/// <summary>How full members' homes are, where the runtime can see the filesystem that holds them.</summary>
public interface IHomeSpaces
{
    /// <summary>The space of the member's home; null when it does not exist yet or this runtime cannot see it.</summary>
    HomeSpace? Find(string tenantSlug, Guid memberId);
}
