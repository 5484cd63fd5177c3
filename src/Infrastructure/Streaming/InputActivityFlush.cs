using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using StreamSpace.Infrastructure.Data;

namespace StreamSpace.Infrastructure.Streaming;

/// <summary>
/// Writes the input and connection times gathered by <see cref="InputActivity"/> to the sessions table every few
/// seconds in one UPDATE, never one write per event; a timestamp only ever moves forward.
/// </summary>
public sealed class InputActivityFlush(
    InputActivity activity,
    IServiceScopeFactory scopes,
    IOptions<StreamGatewayOptions> options,
    TimeProvider time,
    ILogger<InputActivityFlush> logger) : BackgroundService
{
    // Raw SQL across tenants on purpose: the gateway has no tenant context here and only touches these two columns.
    private const string Update = """
        UPDATE sessions AS s
        SET last_input_at = GREATEST(s.last_input_at, a.last_input_at),
            last_connection_at = GREATEST(s.last_connection_at, a.last_connection_at)
        FROM unnest(@ids, @inputs, @connections) AS a(id, last_input_at, last_connection_at)
        WHERE s.id = a.id
          AND (COALESCE(a.last_input_at > s.last_input_at, a.last_input_at IS NOT NULL)
               OR COALESCE(a.last_connection_at > s.last_connection_at, a.last_connection_at IS NOT NULL))
        """;

    private static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Writes what was recorded since the last flush; returns the number of session rows changed.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        var batch = activity.Drain();
        if (batch.Count == 0)
        {
            return 0;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<StreamSpaceDb>();
            return await db.Database.ExecuteSqlRawAsync(
                Update,
                [
                    new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = batch.Select(a => a.SessionId).ToArray() },
                    new NpgsqlParameter("inputs", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = batch.Select(a => a.LastInputAt).ToArray() },
                    new NpgsqlParameter("connections", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = batch.Select(a => a.LastConnectionAt).ToArray() },
                ],
                cancellationToken);
        }
#pragma warning disable CA1031 // Any failure keeps the batch for the next tick; the database may just be restarting.
        catch (Exception e)
#pragma warning restore CA1031
        {
            activity.Restore(batch);
            logger.LogWarning(e, "Could not record the activity of {Count} sessions; retrying at the next flush", batch.Count);
            return 0;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: fall through to the last flush.
        }

        // The idle sweep must not see a session as idle just because this process stopped with input unwritten.
        using var lastChance = new CancellationTokenSource(FinalFlushTimeout);
        await FlushAsync(lastChance.Token);
    }
}
