using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Tests.Integration.Admin;

namespace StreamSpace.Tests.Integration.Sessions;

/// <summary>
/// The idle sweep's question across tenants, against PostgreSQL: which running sessions are due. A member's idle timeout
/// is their tier's as <c>Tier.Resolve</c> decides it (their own tier, else the tenant's default), as at launch.
/// </summary>
public sealed class DueForHibernationTests(AdminPortal portal) : IClassFixture<AdminPortal>
{
    [Fact]
    public async Task A_member_on_a_long_idle_tier_stays_a_member_without_a_tier_gets_the_defaults_timeout_in_every_tenant()
    {
        await SetIdleAsync(portal.Acme, "free", TimeSpan.FromMinutes(10));
        await SetIdleAsync(portal.Acme, "pro", TimeSpan.FromHours(2));
        await SetIdleAsync(portal.Initech, "free", TimeSpan.FromMinutes(10));
        await SetIdleAsync(portal.Initech, "pro", TimeSpan.FromMinutes(10));
        var (onPro, _) = await portal.NewAcmeMemberAsync("long-idle");
        var (untiered, _) = await portal.NewAcmeMemberAsync("default-idle");
        await using (var db = portal.ContextOf(portal.Acme))
        {
            var pro = await db.Tiers.SingleAsync(t => t.Name == "pro");
            (await db.Users.SingleAsync(m => m.Id == onPro)).TierId = pro.Id;
            (await db.Users.SingleAsync(m => m.Id == untiered)).TierId = null;
            await db.SaveChangesAsync();
        }

        var stays = await portal.AddSessionAsync(portal.Acme, onPro, SessionState.Running, startedAgo: TimeSpan.FromMinutes(30));
        var due = await portal.AddSessionAsync(portal.Acme, untiered, SessionState.Running, startedAgo: TimeSpan.FromMinutes(30));
        var elsewhere = await portal.AddSessionAsync(portal.Initech, portal.Initech.Admin!.Id, SessionState.Running, startedAgo: TimeSpan.FromMinutes(30));
        var fresh = await portal.AddSessionAsync(portal.Acme, untiered, SessionState.Running, startedAgo: TimeSpan.FromMinutes(2));

        await using var scope = portal.Services.CreateAsyncScope();
        var found = (await scope.ServiceProvider.GetRequiredService<AllTenantsSessions>()
            .DueForHibernationAsync(idleEnabled: true, TimeSpan.FromMinutes(30), DateTimeOffset.UtcNow, CancellationToken.None))
            .Select(r => r.SessionId).ToHashSet();

        Assert.Contains(due, found);
        Assert.Contains(elsewhere, found);
        Assert.DoesNotContain(stays, found);
        Assert.DoesNotContain(fresh, found);
    }

    private async Task SetIdleAsync(Infrastructure.Features.Tenants.SignupResult tenant, string tier, TimeSpan idle)
    {
        await using var db = portal.ContextOf(tenant);
        var row = await db.Tiers.SingleAsync(t => t.Name == tier);
        row.Change(row.Limits with { IdleTimeout = idle }, row.Dlp);
        await db.SaveChangesAsync();
    }
}
