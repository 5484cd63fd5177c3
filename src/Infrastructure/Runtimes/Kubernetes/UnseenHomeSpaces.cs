using StreamSpace.Domain.Sessions;

namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

/// <summary>
/// On Kubernetes a home is a volume claim mounted only inside the session's pod, so the portal cannot see how full it is;
/// the claim's size is the tier's storage, and the app itself reports ENOSPC.
/// </summary>
internal sealed class UnseenHomeSpaces : IHomeSpaces
{
    public HomeSpace? Find(string tenantSlug, Guid memberId) => null;
}
