using System.Diagnostics;

namespace StreamSpace.Bench;

/// <summary>
/// Counts every command Npgsql executes in this process, whoever issues it (EF Core, Hangfire.PostgreSql through Dapper),
/// by listening to Npgsql's tracing activities: one per command or batch, that is one per round trip.
/// </summary>
internal sealed class NpgsqlCommandCounter : IDisposable
{
    private readonly ActivityListener _listener;
    private long _commands;
    private long _hangfireCommands;
    private long _hangfireTicks;

    public NpgsqlCommandCounter()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                // Connection opens and COPY are traced too (when enabled); only commands carry the query text.
                if (activity.GetTagItem("db.query.text") is not string text)
                {
                    return;
                }

                Interlocked.Increment(ref _commands);

                // Hangfire.PostgreSql qualifies every table with its schema, named "hangfire" in AddInfrastructure.
                if (text.Contains("hangfire.", StringComparison.OrdinalIgnoreCase) || text.Contains("\"hangfire\".", StringComparison.OrdinalIgnoreCase))
                {
                    Interlocked.Increment(ref _hangfireCommands);
                    Interlocked.Add(ref _hangfireTicks, activity.Duration.Ticks);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public long Commands => Interlocked.Read(ref _commands);

    /// <summary>Commands whose text names a table in Hangfire's schema.</summary>
    public long HangfireCommands => Interlocked.Read(ref _hangfireCommands);

    /// <summary>Time spent inside Hangfire's commands, from sending to the end of reading (commits are not commands).</summary>
    public TimeSpan HangfireTime => TimeSpan.FromTicks(Interlocked.Read(ref _hangfireTicks));

    public void Reset()
    {
        Interlocked.Exchange(ref _commands, 0);
        Interlocked.Exchange(ref _hangfireCommands, 0);
        Interlocked.Exchange(ref _hangfireTicks, 0);
    }

    public void Dispose() => _listener.Dispose();
}
