namespace StreamSpace.Tests.Support;

/// <summary>The PostgreSQL server the tests use: the throw-away cluster <c>make test</c> starts.</summary>
public static class TestPostgres
{
    public const string Variable = "STREAMSPACE_TEST_PG";

    /// <summary>Server connection string without a database (<c>Host=…;Port=…;Username=…;Password=…</c>).</summary>
    public static string Server =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"Tests need a PostgreSQL server: run `make test`, or start one and set {Variable}=\"Host=127.0.0.1;Port=…;Username=…;Password=…\".");
}
