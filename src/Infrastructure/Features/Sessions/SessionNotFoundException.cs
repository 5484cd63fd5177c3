namespace StreamSpace.Infrastructure.Features.Sessions;

/// <summary>The session does not exist, or is not the caller's: both answer 404 so ids of others reveal nothing.</summary>
public sealed class SessionNotFoundException(Guid sessionId) : Exception($"Session {sessionId} was not found.")
{
    public Guid SessionId { get; } = sessionId;
}
