using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StreamSpace.Infrastructure;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Streaming;

namespace StreamSpace.Bench;

/// <summary>
/// <c>flush</c>: 500 viewers on 500 running sessions each record 50 input events per interval into the real
/// <see cref="InputActivity"/>, then the real <see cref="InputActivityFlush.FlushAsync"/> writes them; statements per
/// flush (target: one), rows updated and wall time, over ten intervals after one warm-up.
/// </summary>
internal static class ActivityFlushBench
{
    private const int EventsPerViewer = 50;
    private const int Intervals = 10;

    private static readonly BenchPopulation Population = new("flush", Tenants: 5, MembersPerTenant: 10, Sessions: 500, Idle: 0);

    public static async Task<int> RunAsync(string[] arguments)
    {
        _ = arguments;
        if (BenchDatabase.Server() is not { } server)
        {
            return 2;
        }

        await using var database = await BenchDatabase.CreateAsync(server, "flush");
        await Population.SeedAsync(database);
        List<Guid> sessionIds;
        await using (var db = database.CreateContext())
        {
            sessionIds = await db.Sessions.IgnoreQueryFilters().Select(s => s.Id).ToListAsync();
        }

        var efCounter = new StatementCounter();
        using var npgsqlCounter = new NpgsqlCommandCounter();
        using var host = Compose(database.ConnectionString, efCounter);
        var activity = host.Services.GetRequiredService<InputActivity>();
        var flush = host.Services.GetServices<IHostedService>().OfType<InputActivityFlush>().Single();

        var start = DateTimeOffset.UtcNow;
        Parallel.ForEach(sessionIds, id => activity.ViewerConnected(id, start));
        var rows = new List<string>();
        var worstStatements = 0L;
        var allUpdated = true;
        var wall = new List<double>();
        DateTimeOffset last = start;
        for (var interval = 0; interval <= Intervals; interval++)
        {
            var intervalStart = start.AddSeconds(interval + 1);
            Parallel.ForEach(sessionIds, id =>
            {
                for (var e = 0; e < EventsPerViewer; e++)
                {
                    activity.RecordInput(id, intervalStart.AddMilliseconds(e * 10));
                }
            });
            last = intervalStart.AddMilliseconds((EventsPerViewer - 1) * 10);

            efCounter.Reset();
            npgsqlCounter.Reset();
            var clock = Stopwatch.StartNew();
            var updated = await flush.FlushAsync(CancellationToken.None);
            clock.Stop();

            // Interval 0 warms up the JIT and the connection pool.
            if (interval == 0)
            {
                continue;
            }

            worstStatements = Math.Max(worstStatements, Math.Max(efCounter.Statements, npgsqlCounter.Commands));
            allUpdated &= updated == sessionIds.Count;
            wall.Add(clock.Elapsed.TotalMilliseconds);
            rows.Add(Invariant($"| {interval} | {sessionIds.Count * EventsPerViewer:N0} | {efCounter.Commands} | {efCounter.Statements} | {npgsqlCounter.Commands} | {updated} | {clock.Elapsed.TotalMilliseconds:0.0} |"));
        }

        var current = await database.ScalarAsync(Invariant(
            $"SELECT count(*) FROM sessions WHERE last_input_at = '{last.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff}+00'"));
        Console.WriteLine(Invariant($"Activity flush: {sessionIds.Count} viewers on {sessionIds.Count} running sessions, {EventsPerViewer} input events each per interval; {Intervals} intervals after one warm-up ({Environment.ProcessorCount} cores, .NET {Environment.Version})"));
        Console.WriteLine();
        Console.WriteLine("| interval | events recorded | EF Core commands | SQL statements | Npgsql commands | rows updated | wall ms |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        rows.ForEach(Console.WriteLine);
        Console.WriteLine();
        var sorted = wall.Order().ToList();
        Console.WriteLine(Invariant($"flush wall time: p50 {sorted[sorted.Count / 2]:0.0} ms, max {sorted[^1]:0.0} ms; {current} of {sessionIds.Count} sessions hold the last input time afterwards"));
        Console.WriteLine("Counted twice, independently: an EF Core command interceptor (the flush runs ExecuteSqlRaw on the DbContext) and");
        Console.WriteLine("Npgsql's tracing activities, which see every command the process sends, EF Core or not.");
        var pass = worstStatements == 1 && allUpdated && current == sessionIds.Count;
        Console.WriteLine(Invariant($"target: one statement per interval: {(pass ? "PASS" : "MISS")} (at most {worstStatements} per interval, every session updated: {allUpdated && current == sessionIds.Count})"));
        return 0;
    }

    private static IHost Compose(string connectionString, StatementCounter counter)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Bench" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:StreamSpace"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddInfrastructure();
        builder.Services.AddStreamGateway();
        builder.Services.ConfigureDbContext<StreamSpaceDb>(options => options.AddInterceptors(counter));
        return builder.Build();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
