using Microsoft.EntityFrameworkCore;

namespace StreamSpace.Infrastructure.Data;

/// <summary>The one place that says how StreamSpaceDb talks to PostgreSQL, shared by the host and the design-time factory.</summary>
public static class StreamSpaceDbOptions
{
    public const string ConnectionStringName = "StreamSpace";

    public static void Configure(DbContextOptionsBuilder options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();
    }
}
