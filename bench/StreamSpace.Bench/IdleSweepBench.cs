extern alias workers;

using System.Diagnostics;
using System.Globalization;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StreamSpace.Infrastructure;
using StreamSpace.Infrastructure.Data;
using IdleSweep = workers::StreamSpace.Workers.Jobs.IdleSweep;
using WorkersExtensions = workers::StreamSpace.Workers.WorkersExtensions;

namespace StreamSpace.Bench;

/// <summary>
/// <c>sweep</c>: one run of the real <see cref="IdleSweep"/> over 100,000 running sessions of which 10,000 are idle, composed
/// as Workers composes it but without starting the host (no Hangfire server: enqueued jobs stay in Hangfire's tables).
/// Wall time, EF Core commands and statements, and the commands Hangfire issues to enqueue the hibernate jobs.
/// </summary>
internal static class IdleSweepBench
{
    private const string HibernatingIdle = "SELECT count(*) FROM sessions WHERE state = 'Hibernating' AND hibernate_reason = 'idle 30m'";

    private static readonly BenchPopulation Population = new("bench", Tenants: 100, MembersPerTenant: 10, Sessions: 100_000, Idle: 10_000);

    // One tenant with one idle session, swept first so JIT and EF Core query compilation are not in the measured run.
    private static readonly BenchPopulation WarmUp = new("warm", Tenants: 1, MembersPerTenant: 1, Sessions: 1, Idle: 1);

    public static async Task<int> RunAsync(string[] arguments)
    {
        _ = arguments;
        if (BenchDatabase.Server() is not { } server)
        {
            return 2;
        }

        await using var database = await BenchDatabase.CreateAsync(server, "sweep");
        var efCounter = new StatementCounter();
        using var npgsqlCounter = new NpgsqlCommandCounter();
        using var host = Compose(database.ConnectionString, efCounter);

        // Resolving the storage installs Hangfire's schema, which would otherwise land in the first enqueue.
        _ = host.Services.GetRequiredService<JobStorage>();
        await WarmUp.SeedAsync(database);
        if (await SweepAsync(host) != 1)
        {
            throw new InvalidOperationException("The warm-up sweep should hibernate its one idle session.");
        }

        var seeding = Stopwatch.StartNew();
        await Population.SeedAsync(database);
        seeding.Stop();
        var jobsBefore = await database.ScalarAsync("SELECT count(*) FROM hangfire.job");
        var auditsBefore = await database.ScalarAsync("SELECT count(*) FROM audit_events");
        var hibernatingBefore = await database.ScalarAsync(HibernatingIdle);

        efCounter.Reset();
        npgsqlCounter.Reset();
        var clock = Stopwatch.StartNew();
        var hibernated = await SweepAsync(host);
        clock.Stop();
        var efCommands = efCounter.Commands;
        var efStatements = efCounter.Statements;
        var allCommands = npgsqlCounter.Commands;
        var hangfireCommands = npgsqlCounter.HangfireCommands;
        var hangfireTime = npgsqlCounter.HangfireTime;

        var hibernating = await database.ScalarAsync(HibernatingIdle) - hibernatingBefore;
        var audits = await database.ScalarAsync("SELECT count(*) FROM audit_events") - auditsBefore;
        var jobs = await database.ScalarAsync("SELECT count(*) FROM hangfire.job") - jobsBefore;
        var stillRunning = await database.ScalarAsync("SELECT count(*) FROM sessions WHERE state = 'Running'");

        var perSession = hibernated == 0 ? double.NaN : 1.0 / hibernated;
        Console.WriteLine(Invariant($"Idle sweep: {Population.Sessions:N0} running sessions ({Population.Tenants} tenants x {Population.MembersPerTenant} members), {Population.Idle:N0} idle; seeded in {seeding.Elapsed.TotalSeconds:0.0} s ({Environment.ProcessorCount} cores, .NET {Environment.Version})"));
        Console.WriteLine();
        Console.WriteLine("| measured | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(Invariant($"| running sessions | {Population.Sessions:N0} |"));
        Console.WriteLine(Invariant($"| idle (last input > 30 min ago) | {Population.Idle:N0} |"));
        Console.WriteLine(Invariant($"| hibernated by the sweep | {hibernated:N0} |"));
        Console.WriteLine(Invariant($"| wall time, s | {clock.Elapsed.TotalSeconds:0.00} |"));
        Console.WriteLine(Invariant($"| EF Core commands (round trips) | {efCommands:N0} |"));
        Console.WriteLine(Invariant($"| EF Core SQL statements | {efStatements:N0} |"));
        Console.WriteLine(Invariant($"| EF Core statements per hibernated session | {efStatements * perSession:0.00} |"));
        Console.WriteLine(Invariant($"| EF Core round trips per hibernated session | {efCommands * perSession:0.00} |"));
        Console.WriteLine(Invariant($"| Hangfire jobs enqueued | {jobs:N0} |"));
        Console.WriteLine(Invariant($"| Npgsql commands not from EF Core | {allCommands - efCommands:N0} |"));
        Console.WriteLine(Invariant($"| of which on Hangfire's tables | {hangfireCommands:N0} |"));
        Console.WriteLine(Invariant($"| Hangfire commands per job | {(jobs == 0 ? double.NaN : hangfireCommands / (double)jobs):0.00} |"));
        Console.WriteLine(Invariant($"| time inside Hangfire's commands, s | {hangfireTime.TotalSeconds:0.00} |"));
        Console.WriteLine();
        Console.WriteLine(Invariant($"check: {hibernating:N0} sessions Hibernating with reason \"idle 30m\", {audits:N0} audit events, {stillRunning:N0} still running"));
        Console.WriteLine("Statements are counted by an EF Core command interceptor (per command, plus the statements Npgsql reports inside a");
        Console.WriteLine("batched SaveChanges); Hangfire's through Npgsql's tracing activities (commands on the hangfire schema).");
        Console.WriteLine("COMMITs are not commands and are not counted.");
        var consistent = hibernated == Population.Idle && hibernating == hibernated && audits == hibernated && jobs == hibernated;
        Console.WriteLine(consistent ? "PASS every idle session hibernated once, with its audit event and job" : "MISS the sweep did not hibernate exactly the idle sessions");
        return consistent ? 0 : 1;
    }

    private static IHost Compose(string connectionString, StatementCounter counter)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Bench" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:StreamSpace"] = connectionString,

            // The sweep logs one line per hibernated session; 10,000 console lines would be measuring the console.
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddInfrastructure();
        WorkersExtensions.AddWorkers(builder);
        builder.Services.ConfigureDbContext<StreamSpaceDb>(options => options.AddInterceptors(counter));
        return builder.Build();
    }

    private static async Task<int> SweepAsync(IHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IdleSweep>().RunAsync(CancellationToken.None);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
