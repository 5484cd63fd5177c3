using Microsoft.EntityFrameworkCore;
using Npgsql;
using StreamSpace.Domain.Common;

namespace StreamSpace.Infrastructure.Data;

/// <summary>
/// A read-decide-write that another writer overtook: the session's version moved between our read and our write (two
/// Resume clicks, a Workers job finishing, drift repair), or PostgreSQL picked our transaction to break a deadlock. The
/// change tracker is cleared and the whole decision runs again on what the other writer left, a few times, and then the
/// person is told to try again instead of being answered with an error page.
/// </summary>
public static class ConflictRetry
{
    private const int Attempts = 4;

    /// <summary>Runs <paramref name="decide"/>; its argument is true on a re-run, after another writer changed the rows it read.</summary>
    public static async Task RetryOnConflictAsync(this StreamSpaceDb db, Func<bool, Task> decide, string what)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(decide);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await decide(attempt > 1);
                return;
            }
            catch (Exception e) when (IsConflict(e))
            {
                db.ChangeTracker.Clear();
                if (attempt == Attempts)
                {
                    throw new DomainException($"{what} changed {Attempts} times while your request was being saved; nothing was done. Try again.");
                }
            }
        }
    }

    private static bool IsConflict(Exception e) =>
        e is DbUpdateConcurrencyException
        || (e as PostgresException ?? e.InnerException as PostgresException)?.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;
}
