using Microsoft.EntityFrameworkCore;
using Npgsql;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Bench;

/// <summary>
/// A fresh database on the server named by <c>STREAMSPACE_BENCH_PG</c>, migrated with the EF Core migrations; dropped on
/// dispose. <c>make bench</c> starts a throw-away cluster and sets the variable.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    public const string ServerVariable = "STREAMSPACE_BENCH_PG";

    private readonly string _server;

    private BenchDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>The server connection string (without a database), or null with a message on standard error.</summary>
    public static string? Server()
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            Console.Error.WriteLine($"Set {ServerVariable} to a PostgreSQL server connection string (make bench starts one).");
            return null;
        }

        return server;
    }

    public static async Task<BenchDatabase> CreateAsync(string server, string label)
    {
        var database = new BenchDatabase(server, $"bench_{label}_{Guid.NewGuid():N}"[..32]);
        await database.AdminAsync($"CREATE DATABASE \"{database.Name}\"");
        await using var db = database.CreateContext();
        await db.Database.MigrateAsync();
        return database;
    }

    /// <summary>A context outside any tenant, for arranging and checking.</summary>
    public StreamSpaceDb CreateContext()
    {
        var options = new DbContextOptionsBuilder<StreamSpaceDb>();
        StreamSpaceDbOptions.Configure(options, ConnectionString);
        return new StreamSpaceDb(options.Options, new TenantContext());
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private async Task AdminAsync(string sql)
    {
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Database = "postgres", Pooling = false }.ConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }
}
