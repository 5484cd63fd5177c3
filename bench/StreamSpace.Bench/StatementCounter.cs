using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace StreamSpace.Bench;

/// <summary>
/// Counts the commands EF Core sends (one per round trip) and the SQL statements in them: a batched <c>SaveChanges</c>
/// is one command carrying many UPDATEs and INSERTs, which Npgsql reports per statement on its reader.
/// </summary>
internal sealed class StatementCounter : DbCommandInterceptor
{
    private long _commands;
    private long _extraStatements;

    public long Commands => Interlocked.Read(ref _commands);

    public long Statements => Commands + Interlocked.Read(ref _extraStatements);

    public void Reset()
    {
        Interlocked.Exchange(ref _commands, 0);
        Interlocked.Exchange(ref _extraStatements, 0);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Interlocked.Increment(ref _commands);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commands);
        return ValueTask.FromResult(result);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        CountBatched(result);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        CountBatched(result);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Interlocked.Increment(ref _commands);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commands);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Interlocked.Increment(ref _commands);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commands);
        return ValueTask.FromResult(result);
    }

    private void CountBatched(DbDataReader reader)
    {
#pragma warning disable CS0618 // EF Core sends its batches as one multi-statement DbCommand, not a DbBatch; this is how Npgsql shows them.
        if (reader is NpgsqlDataReader npgsql && npgsql.Statements.Count > 1)
        {
            Interlocked.Add(ref _extraStatements, npgsql.Statements.Count - 1);
        }
#pragma warning restore CS0618
    }
}
