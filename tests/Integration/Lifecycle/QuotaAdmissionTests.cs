extern alias workers;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using StreamSpace.Domain.Quotas;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Domain.Tiers;
using StreamSpace.Domain.Usage;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Features.Tenants;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Portal;
using UsageRollup = workers::StreamSpace.Workers.Jobs.UsageRollup;

namespace StreamSpace.Tests.Integration.Lifecycle;

/// <summary>Admission against real PostgreSQL; no Hangfire server runs here, so launched sessions stay Pending.</summary>
public sealed class QuotaAdmissionTests(QuotaAdmissionTests.Portal portal) : IClassFixture<QuotaAdmissionTests.Portal>
{
    [Fact]
    public async Task Two_simultaneous_launches_at_the_quota_edge_admit_exactly_one_in_fifty_runs_out_of_fifty()
    {
        for (var run = 0; run < 50; run++)
        {
            // Its own organisation: fifty new homes would fill acme's plan storage for the other tests.
            var email = $"edge{run}@edge.test";
            await portal.AddMemberAsync(portal.Edge, email);
            var memberId = await MemberIdAsync(email, portal.Edge);

            var attempts = await Task.WhenAll(LaunchAsync(memberId, tenant: portal.Edge), LaunchAsync(memberId, tenant: portal.Edge));

            Assert.Equal(1, attempts.Count(a => a is null));
            Assert.Single(attempts, a => a is QuotaExceededException { Refusal.Limit: "sessions" });
            await EndSessionsOfAsync(memberId, portal.Edge);
        }
    }

    [Fact]
    public async Task A_refusal_names_the_limit_and_the_arithmetic()
    {
        await portal.AddMemberAsync(portal.Acme, "big@acme.test");
        var memberId = await MemberIdAsync("big@acme.test");
        await using (var db = portal.AcmeDb())
        {
            (await db.Users.SingleAsync(m => m.Id == memberId)).SetOverrides(new QuotaOverrides(null, 5, null, null));
            await db.SaveChangesAsync();
        }

        Assert.Null(await LaunchAsync(memberId, "firefox-esr"));
        Assert.Null(await LaunchAsync(memberId, "firefox-esr"));

        var refusal = Assert.IsType<QuotaExceededException>(await LaunchAsync(memberId, "firefox-esr"));

        Assert.Equal("Memory: 2Gi requested + 4Gi running > 4Gi allowed by tier free with your overrides", refusal.Message);
    }

    [Fact]
    public async Task The_catalog_disables_launch_with_the_reason_before_anyone_clicks()
    {
        await portal.AddMemberAsync(portal.Acme, "full@acme.test");
        var client = portal.ClientFor("acme");
        await client.SignInAsync("full@acme.test", Passwords.Good);
        Assert.Contains("aria-label=\"Launch Terminal\"", await client.GetStringAsync("/catalog?q=terminal"), StringComparison.Ordinal);

        Assert.Null(await LaunchAsync(await MemberIdAsync("full@acme.test")));
        var html = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync("/catalog?q=terminal"));

        Assert.Contains("Sessions: 1 requested + 1 running > 1 allowed by tier free", html, StringComparison.Ordinal);
        Assert.DoesNotContain("aria-label=\"Launch Terminal\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_first_home_must_fit_the_plans_storage_next_to_the_homes_of_every_tier_and_override()
    {
        // Its own organisation, so the homes counted are exactly the ones made here.
        var homes = await portal.CreateTenantAsync("homes", "hal@homes.test");
        await using (var platform = portal.Database.CreateContext())
        {
            var tenant = await platform.Tenants.SingleAsync(t => t.Id == homes.Tenant!.Id);
            tenant.ChangePlan(tenant.Plan with { StorageBytes = Gi(25) });
            await platform.SaveChangesAsync();
        }

        foreach (var email in new[] { "owner@homes.test", "overridden@homes.test", "newcomer@homes.test" })
        {
            await portal.AddMemberAsync(homes, email);
        }

        var owner = await MemberIdAsync("owner@homes.test", homes);
        var overridden = await MemberIdAsync("overridden@homes.test", homes);
        await using (var db = portal.DbOf(homes))
        {
            var free = await db.Tiers.SingleAsync(t => t.Name == "free");
            free.Change(free.Limits with { StorageBytes = Gi(10) }, free.Dlp);
            (await db.Users.SingleAsync(m => m.Id == overridden)).SetOverrides(new QuotaOverrides(null, null, Gi(7), null));
            var template = await db.Templates.FirstAsync();
            // Any session, even a finished one, means its member has a home.
            foreach (var (member, name) in new[] { (owner, "owner-home"), (overridden, "overridden-home") })
            {
                var session = Session.Create(member, template.Id, name, Gi(1), 500, DateTimeOffset.UtcNow);
                session.BeginTerminate(DateTimeOffset.UtcNow);
                session.MarkTerminated(DateTimeOffset.UtcNow);
                db.Sessions.Add(session);
            }
            await db.SaveChangesAsync();
        }

        Assert.Equal(
            "Storage: 10Gi requested + 17Gi allocated in your organisation > 25Gi allowed by its plan",
            (await PreviewAsync(homes, await MemberIdAsync("newcomer@homes.test", homes))).Check(Gi(1), 500)?.Message);
        Assert.Null((await PreviewAsync(homes, owner)).Check(Gi(1), 500));
    }

    [Fact]
    public async Task Usage_is_rolled_up_per_hour_and_a_second_run_changes_nothing()
    {
        var memberId = portal.Acme.Admin!.Id;
        var hour = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
        await using (var db = portal.AcmeDb())
        {
            var template = await db.Templates.FirstAsync();
            var session = Session.Create(memberId, template.Id, "metered", 1, 1, hour);
            db.Sessions.Add(session);
            var run = SessionRun.Begin(session.Id, memberId, template.Id, hour.AddMinutes(30));
            run.End(hour.AddMinutes(135));
            db.SessionRuns.Add(run);
            await db.SaveChangesAsync();
        }

        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(hour.AddHours(5));
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var rollup = new UsageRollup(scope.ServiceProvider.GetRequiredService<Infrastructure.Data.StreamSpaceDb>(), clock, NullLogger<UsageRollup>.Instance);
            await rollup.RunAsync(CancellationToken.None);
            await rollup.RunAsync(CancellationToken.None);
        }

        await using var check = portal.AcmeDb();
        var samples = await check.UsageSamples.Where(u => u.MemberId == memberId).OrderBy(u => u.Hour).Select(u => new { u.Hour, u.Seconds }).ToListAsync();
        Assert.Equal(
            [new { Hour = hour, Seconds = 1800L }, new { Hour = hour.AddHours(1), Seconds = 3600L }, new { Hour = hour.AddHours(2), Seconds = 900L }],
            samples);
    }

    private async Task<Exception?> LaunchAsync(Guid memberId, string template = "xterm", SignupResult? tenant = null)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use((tenant ?? portal.Acme).Tenant!);
        try
        {
            await scope.ServiceProvider.GetRequiredService<MemberSessions>().LaunchAsync(memberId, template, CancellationToken.None);
            return null;
        }
        catch (QuotaExceededException e)
        {
            return e;
        }
    }

    private async Task<QuotaPreview> PreviewAsync(SignupResult tenant, Guid memberId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        await using (var platform = portal.Database.CreateContext())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(await platform.Tenants.AsNoTracking().SingleAsync(t => t.Id == tenant.Tenant!.Id));
        }

        return await scope.ServiceProvider.GetRequiredService<QuotaAdmission>().PreviewAsync(memberId, CancellationToken.None);
    }

    private static long Gi(long n) => n * 1024 * 1024 * 1024;

    /// <summary>Keeps the organisation under its plan cap between runs; nobody provisions these Pending sessions here.</summary>
    private async Task EndSessionsOfAsync(Guid memberId, SignupResult tenant)
    {
        await using var db = portal.DbOf(tenant);
        foreach (var session in await db.Sessions.Where(s => s.MemberId == memberId && s.State == SessionState.Pending).ToListAsync())
        {
            session.BeginTerminate(DateTimeOffset.UtcNow);
            session.MarkTerminated(DateTimeOffset.UtcNow);
        }

        await db.SaveChangesAsync();
    }

    private async Task<Guid> MemberIdAsync(string email, SignupResult? tenant = null)
    {
        await using var db = portal.DbOf(tenant ?? portal.Acme);
        return await db.Users.Where(m => m.Email == email).Select(m => m.Id).SingleAsync();
    }

    public sealed class Portal : PortalFactory
    {
        public SignupResult Acme { get; private set; } = null!;

        public SignupResult Edge { get; private set; } = null!;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Acme = await CreateTenantAsync("acme", "ada@acme.test");
            Edge = await CreateTenantAsync("edge", "ed@edge.test");
            await using (var platform = Database.CreateContext())
            {
                platform.Templates.Add(Template.CreateGlobal(BuiltInTemplates.All[0]));
                platform.Templates.Add(Template.CreateGlobal(BuiltInTemplates.All[1]));
                await platform.SaveChangesAsync();
            }

            // Members without a tier get "free": one session at a time, 4Gi.
            foreach (var tenant in new[] { Acme, Edge })
            {
                await using var db = DbOf(tenant);
                var free = await db.Tiers.SingleAsync(t => t.Name == "free");
                free.Change(free.Limits with { MaxSessions = 1 }, free.Dlp);
                await db.SaveChangesAsync();
            }
        }

        public Infrastructure.Data.StreamSpaceDb AcmeDb() => DbOf(Acme);

        public Infrastructure.Data.StreamSpaceDb DbOf(SignupResult tenant)
        {
            var context = new TenantContext();
            context.Use(tenant.Tenant!);
            return Database.CreateContext(context);
        }
    }
}
