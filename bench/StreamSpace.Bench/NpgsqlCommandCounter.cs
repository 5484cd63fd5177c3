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

    public NpgsqlCommandCounter()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                // Connection opens and COPY are traced too (when enabled); only commands carry the query text.
                if (activity.GetTagItem("db.query.text") is not null)
                {
                    Interlocked.Increment(ref _commands);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public long Commands => Interlocked.Read(ref _commands);

    public void Reset() => Interlocked.Exchange(ref _commands, 0);

    public void Dispose() => _listener.Dispose();
}
