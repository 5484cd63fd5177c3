namespace StreamSpace.Domain.Sessions;

/// <summary>
/// A session as the runtime sees it: running (with its endpoint) or present but stopped, with why it stopped when the
/// runtime knows ("out of memory (limit 256Mi)", "exited with code 1").
/// </summary>
public sealed record ObservedSession(SessionAddress Address, bool Running, SessionEndpoint? Endpoint, string? StoppedReason = null)
{
    public Guid SessionId => Address.SessionId;
}
