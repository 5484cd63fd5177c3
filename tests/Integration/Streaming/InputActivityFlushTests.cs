using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Streaming;

public sealed class InputActivityFlushTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task One_flush_writes_the_newest_times_of_every_session_and_never_moves_one_back()
    {
        await using var database = await ScratchDatabase.CreateAsync();
        var first = await database.InsertSessionAsync(lastInputAt: null);
        var second = await database.InsertSessionAsync(lastInputAt: Noon.AddHours(1));
        var activity = new InputActivity();
        var flush = database.Flush(activity);

        activity.RecordInput(first, Noon.AddSeconds(1));
        activity.RecordInput(first, Noon.AddSeconds(3));
        activity.RecordConnection(first, Noon);
        activity.RecordInput(second, Noon);
        activity.RecordInput(Guid.NewGuid(), Noon);
        var changed = await flush.FlushAsync(CancellationToken.None);

        Assert.Equal(1, changed);
        Assert.Equal((Noon.AddSeconds(3), Noon), await database.ReadTimesAsync(first));
        Assert.Equal((Noon.AddHours(1), null), await database.ReadTimesAsync(second));

        activity.RecordInput(first, Noon.AddSeconds(2));
        Assert.Equal(0, await flush.FlushAsync(CancellationToken.None));
        Assert.Equal((Noon.AddSeconds(3), Noon), await database.ReadTimesAsync(first));
    }

    /// <summary>A freshly migrated database of its own, dropped afterwards.</summary>
    private sealed class ScratchDatabase : IAsyncDisposable
    {
        private readonly TestDatabase _database;
        private readonly ServiceProvider _services;

        private ScratchDatabase(TestDatabase database)
        {
            _database = database;
            ConnectionString = database.ConnectionString;
            _services = new ServiceCollection()
                .AddScoped<TenantContext>()
                .AddDbContext<StreamSpaceDb>(options => StreamSpaceDbOptions.Configure(options, ConnectionString))
                .BuildServiceProvider();
        }

        public string ConnectionString { get; }

        public static async Task<ScratchDatabase> CreateAsync() => new(await TestDatabase.CreateAsync("flush"));

        public InputActivityFlush Flush(InputActivity activity) => new(
            activity,
            _services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new StreamGatewayOptions()),
            TimeProvider.System,
            NullLogger<InputActivityFlush>.Instance);

        /// <summary>A bare sessions row; foreign keys are not what this test is about, so the triggers are off for it.</summary>
        public async Task<Guid> InsertSessionAsync(DateTimeOffset? lastInputAt)
        {
            var id = Guid.NewGuid();
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                SET session_replication_role = replica;
                INSERT INTO sessions (id, tenant_id, member_id, template_id, name, memory_bytes, cpu_millicores, state, created_at, last_input_at, version)
                VALUES (@id, @id, @id, @id, @name, 1, 1, 'Running', now(), @lastInputAt, 0);
                """,
                connection);
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("name", $"s-{id:N}");
            command.Parameters.AddWithValue("lastInputAt", (object?)lastInputAt ?? DBNull.Value);
            await command.ExecuteNonQueryAsync();
            return id;
        }

        public async Task<(DateTimeOffset? Input, DateTimeOffset? Connection)> ReadTimesAsync(Guid sessionId)
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT last_input_at, last_connection_at FROM sessions WHERE id = @id", connection);
            command.Parameters.AddWithValue("id", sessionId);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            return (
                reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0),
                reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
        }

        public async ValueTask DisposeAsync()
        {
            await _services.DisposeAsync();
            await _database.DisposeAsync();
        }
    }
}
