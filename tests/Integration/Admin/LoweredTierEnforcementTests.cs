extern alias workers;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Tiers;
using StreamSpace.Tests.Integration.Lifecycle;
using IdleSweep = workers::StreamSpace.Workers.Jobs.IdleSweep;
using QuotaEnforcement = workers::StreamSpace.Workers.Jobs.QuotaEnforcement;

namespace StreamSpace.Tests.Integration.Admin;

/// <summary><c>quotas.enforce</c> after an admin lowers each limit of a tier: the member's running sessions come within it.</summary>
public sealed class LoweredTierEnforcementTests(LifecyclePortal portal) : IClassFixture<LifecyclePortal>
{
    [Fact]
    public async Task Lowering_the_memory_limit_hibernates_the_newest_session_until_the_rest_fit()
    {
        var (tier, member) = await MemberInOwnTierAsync("memory");
        var older = await RunningSessionAsync(member, TimeSpan.FromMinutes(10));
        var newer = await RunningSessionAsync(member, TimeSpan.FromMinutes(5));

        await ChangeTierAsync(tier, l => l with { MemoryBytes = 300L << 20 });
        await EnforceAsync();

        Assert.Equal(SessionState.Running, (await portal.SessionAsync(older)).State);
        Assert.Equal("quota", (await portal.SessionAsync(newer)).HibernateReason);
    }

    [Fact]
    public async Task Lowering_the_cpu_limit_hibernates_the_newest_session_until_the_rest_fit()
    {
        var (tier, member) = await MemberInOwnTierAsync("cpu");
        var older = await RunningSessionAsync(member, TimeSpan.FromMinutes(10));
        var newer = await RunningSessionAsync(member, TimeSpan.FromMinutes(5));

        await ChangeTierAsync(tier, l => l with { CpuMillicores = 300 });
        await EnforceAsync();

        Assert.Equal(SessionState.Running, (await portal.SessionAsync(older)).State);
        Assert.Equal("quota", (await portal.SessionAsync(newer)).HibernateReason);
    }

    [Fact]
    public async Task Lowering_the_max_session_duration_moves_running_deadlines_to_the_new_limit()
    {
        var (tier, member) = await MemberInOwnTierAsync("duration");
        var id = await RunningSessionAsync(member, TimeSpan.FromMinutes(10));
        var startedAt = (await portal.SessionAsync(id)).StartedAt!.Value;

        await ChangeTierAsync(tier, l => l with { MaxSessionDuration = TimeSpan.FromMinutes(30) });
        await EnforceAsync();

        var session = await portal.SessionAsync(id);
        Assert.Equal(SessionState.Running, session.State);
        Assert.Equal(startedAt + TimeSpan.FromMinutes(30), session.Deadline);
    }

    [Fact]
    public async Task A_member_without_a_tier_is_idle_hibernated_by_the_default_tiers_lowered_timeout()
    {
        var email = $"untiered-{Guid.NewGuid().ToString("N")[..6]}@acme.test";
        await portal.AddMemberAsync(portal.Acme, email);
        Guid member;
        await using (var db = portal.AcmeDb())
        {
            member = await db.Users.Where(m => m.Email == email).Select(m => m.Id).SingleAsync();
            var free = await db.Tiers.SingleAsync(t => t.Name == Tier.DefaultName);
            free.Change(free.Limits with { IdleTimeout = TimeSpan.FromMinutes(1) }, free.Dlp);
            await db.SaveChangesAsync();
        }

        var id = await RunningSessionAsync(member, TimeSpan.FromMinutes(3));
        await using (var scope = portal.Workers.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IdleSweep>().RunAsync(CancellationToken.None);
        }

        Assert.Equal("idle 1m", (await portal.SessionAsync(id)).HibernateReason);
    }

    private async Task EnforceAsync()
    {
        await using var scope = portal.Workers.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<QuotaEnforcement>().RunAsync(CancellationToken.None);
    }

    private async Task<(Guid Tier, Guid Member)> MemberInOwnTierAsync(string name)
    {
        var email = $"{name}-{Guid.NewGuid().ToString("N")[..6]}@acme.test";
        await portal.AddMemberAsync(portal.Acme, email);
        await using var db = portal.AcmeDb();
        var tier = Tier.Create($"t-{name}", Tier.Defaults()[1].Limits, Tier.Defaults()[1].Dlp);
        db.Tiers.Add(tier);
        var member = await db.Users.SingleAsync(m => m.Email == email);
        member.TierId = tier.Id;
        await db.SaveChangesAsync();
        return (tier.Id, member.Id);
    }

    private async Task ChangeTierAsync(Guid id, Func<TierLimits, TierLimits> change)
    {
        await using var db = portal.AcmeDb();
        var tier = await db.Tiers.SingleAsync(t => t.Id == id);
        tier.Change(change(tier.Limits), tier.Dlp);
        await db.SaveChangesAsync();
    }

    /// <summary>A running session as the database records it (enforcement reads the database, not the runtime).</summary>
    private async Task<Guid> RunningSessionAsync(Guid member, TimeSpan startedAgo)
    {
        await using var db = portal.AcmeDb();
        var template = await db.Templates.FirstAsync();
        var started = DateTimeOffset.UtcNow - startedAgo;
        var session = Session.Create(member, template.Id, $"xterm-{Guid.NewGuid().ToString("N")[..6]}", 256L << 20, 250, started);
        session.Start("Starting", started);
        session.MarkRunning("unix:/nonexistent/vnc.sock", started, TimeSpan.FromHours(8));
        db.Sessions.Add(session);
        await db.SaveChangesAsync();
        return session.Id;
    }
}
