extern alias workers;

using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Logging;
using Hangfire.Storage;
using Microsoft.Extensions.Options;
using StreamSpace.Infrastructure.Features.Lifecycle;
using StreamSpace.Infrastructure.Runtimes;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;
using StreamSpace.Tests.Support;
using RecurringSchedule = workers::StreamSpace.Workers.RecurringSchedule;

namespace StreamSpace.Tests.Integration.Workers;

/// <summary>The recurring jobs Workers registers, read back from Hangfire's real PostgreSQL storage.</summary>
public sealed class RecurringScheduleTests : IAsyncLifetime
{
    private static readonly string[] EveryRuntime =
    [
        "sessions.reap-idle", "quotas.enforce", "sessions.reconcile", "usage.rollup", "identity.prune-handover-tickets",
        "identity.prune-tokens",
    ];

    private static readonly string[] KubernetesOnly = ["tenants.converge-namespaces", "sessions.sync-resources"];

    private TestDatabase _database = null!;
    private JobStorage _storage = null!;

    public async Task InitializeAsync()
    {
        // Hangfire finds its loggers through a process-wide provider, which the last test host to start pointed at its own,
        // since disposed, logger factory; this class has no host.
        LogProvider.SetCurrentLogProvider(new SilentLogProvider());
        _database = await TestDatabase.CreateAsync("recurring");
        var options = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true };
        _storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(_database.ConnectionString, options), options);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task On_kubernetes_the_namespace_convergence_and_the_resource_sync_run_next_to_the_jobs_of_every_runtime()
    {
        await ScheduleAsync(RuntimeKind.Kubernetes);

        Assert.Equal(EveryRuntime.Concat(KubernetesOnly).Order(StringComparer.Ordinal), RecurringJobIds(), StringComparer.Ordinal);
        Assert.Equal("* * * * *", CronOf("sessions.sync-resources"));
        Assert.Equal("*/10 * * * *", CronOf("tenants.converge-namespaces"));
    }

    [Fact]
    public async Task Switching_back_to_the_local_runtime_removes_the_kubernetes_jobs()
    {
        await ScheduleAsync(RuntimeKind.Kubernetes);

        await ScheduleAsync(RuntimeKind.Local);

        Assert.Equal(EveryRuntime.Order(StringComparer.Ordinal), RecurringJobIds(), StringComparer.Ordinal);
    }

    [Fact]
    public async Task Every_recurring_job_is_in_the_operations_guide()
    {
        await ScheduleAsync(RuntimeKind.Kubernetes);
        var guide = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "operations.md"));

        Assert.All(RecurringJobIds(), id => Assert.Contains($"`{id}`", guide, StringComparison.Ordinal));
    }

    private async Task ScheduleAsync(RuntimeKind kind)
    {
        var schedule = new RecurringSchedule(
            new RecurringJobManager(_storage), Options.Create(new HibernationOptions()), Options.Create(new RuntimeOptions { Kind = kind }));
        await schedule.StartAsync(CancellationToken.None);
    }

    private string[] RecurringJobIds()
    {
        using var connection = _storage.GetConnection();
        return [.. connection.GetRecurringJobs().Select(job => job.Id).Order(StringComparer.Ordinal)];
    }

    private string CronOf(string id)
    {
        using var connection = _storage.GetConnection();
        return connection.GetRecurringJobs().Single(job => job.Id == id).Cron;
    }

    private sealed class SilentLogProvider : ILogProvider
    {
        public ILog GetLogger(string name) => new SilentLog();
    }

    private sealed class SilentLog : ILog
    {
        public bool Log(LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
