namespace StreamSpace.Domain.Sessions;

/// <summary>
/// Which session a runtime is asked about, with what every runtime needs to find it: the tenant (its namespace on
/// Kubernetes, its folder of homes on one machine), the session id and the runtime recorded on the session (which of the
/// one-machine runtimes holds it). Callers already hold all three; runtimes never look them up.
/// </summary>
public sealed record SessionAddress(string TenantSlug, Guid SessionId, SessionRuntimeKind Runtime = SessionRuntimeKind.Sandbox)
{
    public override string ToString() => $"{TenantSlug}/{SessionId:D}";
}
