using Microsoft.EntityFrameworkCore;
using Npgsql;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Tests.Support;

/// <summary>
/// A fresh, migrated database for one test class, copied from a template database that is migrated once per migration
/// set (a copy takes milliseconds; migrating takes seconds). Dropped on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    // Any constant works; it only has to be the same in every test process that might build the template at once.
    private const long TemplateLock = 0x5354_5245_414D;

    private readonly string _server;

    private TestDatabase(string name, string server)
    {
        Name = name;
        _server = server;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, IncludeErrorDetail = true }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <param name="label">Names the database (its test class).</param>
    /// <param name="server">Another server than the one every test uses (a <see cref="PrivatePostgres"/>).</param>
    public static async Task<TestDatabase> CreateAsync(string label, string? server = null)
    {
        server ??= TestPostgres.Server;
        var template = await EnsureTemplateAsync(server);
        var prefix = "t_" + Sanitize(label);
        var name = $"{prefix[..Math.Min(prefix.Length, 15)]}_{Guid.NewGuid():N}";
        await using var admin = await OpenServerAsync(server);
        await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", admin))
        {
            await create.ExecuteNonQueryAsync();
        }

        // Sandbox uids are unique within one database; test classes share this machine, so each gets its own range.
        long block;
        await using (var next = new NpgsqlCommand("SELECT nextval('streamspace_test_uid_blocks')", admin))
        {
            block = (long)(await next.ExecuteScalarAsync())!;
        }

        var database = new TestDatabase(name, server);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var restart = new NpgsqlCommand($"ALTER SEQUENCE member_local_uid RESTART WITH {300_000 + (block % 5_000 * 1_000)}", connection);
        await restart.ExecuteNonQueryAsync();
        return database;
    }

    /// <summary>A context outside any tenant, for arranging and asserting; pass a tenant context to act as one.</summary>
    public StreamSpaceDb CreateContext(TenantContext? tenant = null)
    {
        var options = new DbContextOptionsBuilder<StreamSpaceDb>();
        StreamSpaceDbOptions.Configure(options, ConnectionString);
        return new StreamSpaceDb(options.Options, tenant ?? new TenantContext());
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = await OpenServerAsync(_server);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<string> EnsureTemplateAsync(string server)
    {
        string lastMigration;
        await using (var probe = new TestDatabase("probe", server).CreateContext())
        {
            lastMigration = probe.Database.GetMigrations().Last();
        }

        var template = "tpl_" + Sanitize(lastMigration);
        await using var admin = await OpenServerAsync(server);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_lock({TemplateLock})", admin))
        {
            await lockCommand.ExecuteNonQueryAsync();
        }

        try
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", admin);
            exists.Parameters.AddWithValue("name", template);
            if (await exists.ExecuteScalarAsync() is null)
            {
                await MigrateTemplateAsync(admin, template, server);
            }

            await using var blocks = new NpgsqlCommand("CREATE SEQUENCE IF NOT EXISTS streamspace_test_uid_blocks", admin);
            await blocks.ExecuteNonQueryAsync();
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({TemplateLock})", admin);
            await unlock.ExecuteNonQueryAsync();
        }

        return template;
    }

    private static async Task MigrateTemplateAsync(NpgsqlConnection admin, string template, string server)
    {
        var building = template + "_building";
        await using (var create = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE); CREATE DATABASE \"{building}\"", admin))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var db = new TestDatabase(building, server).CreateContext())
        {
            await db.Database.MigrateAsync();
        }

        // A database with open connections cannot be renamed or copied.
        NpgsqlConnection.ClearAllPools();
        await using var rename = new NpgsqlCommand($"ALTER DATABASE \"{building}\" RENAME TO \"{template}\"", admin);
        await rename.ExecuteNonQueryAsync();
    }

    private static async Task<NpgsqlConnection> OpenServerAsync(string server)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static string Sanitize(string value) =>
        new(value.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
}
