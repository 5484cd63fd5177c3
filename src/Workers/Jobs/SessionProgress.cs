using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Workers.Jobs;

/// <summary>Stores each progress step on the session as the runtime reports it, so the viewer can show it.</summary>
public sealed class SessionProgress(Session session, StreamSpaceDb db, ILogger logger) : IProgress<string>
{
    private readonly Lock _gate = new();

    public void Report(string value)
    {
        lock (_gate)
        {
            try
            {
                session.ReportProgress(value);
                db.SaveChanges();
            }
            catch (Exception e) when (e is Domain.Common.DomainException or Microsoft.EntityFrameworkCore.DbUpdateException)
            {
                // Progress is informative; a session terminated meanwhile must not fail its own start.
                logger.LogDebug(e, "Progress {Progress} of session {SessionId} not stored", value, session.Id);
            }
        }
    }
}
