namespace StreamSpace.Tests.Gateway;

/// <summary>A fact that needs a PostgreSQL server; it runs when STREAMSPACE_TEST_POSTGRES holds a superuser connection string.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "STREAMSPACE_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrEmpty(ConnectionString))
        {
            Skip = $"No PostgreSQL: set {Variable} to a connection string of a superuser (make test does) to run it.";
        }
    }

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable);
}
