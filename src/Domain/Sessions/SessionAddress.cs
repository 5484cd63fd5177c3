namespace StreamSpace.Domain.Sessions;

/// <summary>
/// Which session a runtime is asked about, with what every runtime needs to find it: the tenant (its namespace on
/// Kubernetes, its folder of homes on one machine) and the session id. Callers already hold both; runtimes never look
/// them up.
/// </summary>
public sealed record SessionAddress(string TenantSlug, Guid SessionId)
{
    public override string ToString() => $"{TenantSlug}/{SessionId:D}";
}
