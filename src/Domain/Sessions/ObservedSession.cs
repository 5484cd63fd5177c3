namespace StreamSpace.Domain.Sessions;

/// <summary>A session as the runtime sees it: running (with its endpoint) or present but stopped.</summary>
public sealed record ObservedSession(SessionAddress Address, bool Running, SessionEndpoint? Endpoint)
{
    public Guid SessionId => Address.SessionId;
}
