extern alias workers;

using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Domain.Tiers;
using StreamSpace.Infrastructure;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Tenants;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Integration.Streaming;
using WorkersExtensions = workers::StreamSpace.Workers.WorkersExtensions;

namespace StreamSpace.Tests.Integration.Lifecycle;

/// <summary>
/// The portal in-process plus the Workers composition (its real Hangfire server, jobs and schedule) in the same test
/// host, both on one fresh database and one data directory, with short gateway flushes.
/// </summary>
public class LifecyclePortal : PortalFactory, IAsyncLifetime
{
    private IHost? _workers;

    public SignupResult Acme { get; private set; } = null!;

    public IServiceProvider Workers => _workers?.Services ?? throw new InvalidOperationException("Not started.");

    /// <summary>Every line the Workers host logs, with its scopes.</summary>
    internal CapturedLog WorkersLog { get; } = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Acme = await CreateTenantAsync("acme", "ada@acme.test");
        await using (var platform = Database.CreateContext())
        {
            platform.Templates.Add(Template.CreateGlobal(BuiltInTemplates.All[0]));
            await platform.SaveChangesAsync();
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(Settings().Concat(WorkersSettings()));
        builder.Logging.AddProvider(WorkersLog);
        builder.AddInfrastructure();
        WorkersExtensions.AddWorkers(builder);
        _workers = builder.Build();
        await _workers.StartAsync();
    }

    public new async Task DisposeAsync()
    {
        await StopWorkersAsync();
        await base.DisposeAsync();
    }

    /// <summary>Stops the Workers host the way a SIGTERM does (its hosted services' stop hooks run).</summary>
    public async Task StopWorkersAsync()
    {
        if (_workers is not null)
        {
            await _workers.StopAsync();
            _workers.Dispose();
            _workers = null;
        }
    }

    public StreamSpaceDb AcmeDb()
    {
        var context = new TenantContext();
        context.Use(Acme.Tenant!);
        return Database.CreateContext(context);
    }

    /// <summary>Changes acme's tier (limits and timeouts) the way an admin would, for one test.</summary>
    public async Task SetTierAsync(string name, Func<TierLimits, TierLimits> change)
    {
        await using var db = AcmeDb();
        var tier = await db.Tiers.SingleAsync(t => t.Name == name);
        tier.Change(change(tier.Limits), tier.Dlp);
        await db.SaveChangesAsync();
    }

    public async Task<Session> SessionAsync(Guid id)
    {
        await using var db = AcmeDb();
        return await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == id);
    }

    /// <summary>Waits until the session reaches <paramref name="state"/> (jobs run on the Workers' Hangfire server).</summary>
    public async Task<Session> WaitForStateAsync(Guid id, SessionState state, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var session = await SessionAsync(id);
            if (session.State == state)
            {
                return session;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Session {id} is {session.State} ({session.FailureReason}), not {state}.");
            await Task.Delay(100);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in Settings())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Settings for the Workers host only (a management port Web must not also take).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> WorkersSettings() => [];

    protected virtual Dictionary<string, string?> Settings() => new()
    {
        ["ConnectionStrings:StreamSpace"] = Database.ConnectionString,
        ["Runtime:Local:DataDirectory"] = DataDirectory,
        ["Runtime:Local:StopGracePeriod"] = "00:00:03",
        ["StreamGateway:FlushInterval"] = "00:00:01",
        ["Reconcile:LostAfter"] = "00:00:00",
        ["Reconcile:StuckAfter"] = "00:00:05",
    };
}
