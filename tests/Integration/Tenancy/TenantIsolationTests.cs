using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Domain.Tiers;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Tenants;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Tenancy;

public sealed class TenantIsolationTests(TwoTenantsPortal portal) : IClassFixture<TwoTenantsPortal>
{
    [Fact]
    public async Task A_tenant_reads_only_its_own_rows()
    {
        await using var db = ContextOf(portal.Acme);

        Assert.Equal([portal.AcmeSession], await db.Sessions.Select(s => s.Id).ToListAsync());
        Assert.Equal(["ada@acme.test"], await db.Users.Select(m => m.Email).ToListAsync());
        Assert.All(await db.Tiers.ToListAsync(), t => Assert.Equal(portal.Acme.Tenant!.Id, t.TenantId));
        Assert.Equal(
            await db.Tiers.IgnoreQueryFilters([StreamSpaceDb.TenantFilter]).CountAsync(t => t.TenantId == portal.Acme.Tenant!.Id),
            await db.Tiers.CountAsync());
        Assert.All(await db.AuditEvents.ToListAsync(), e => Assert.Equal(portal.Acme.Tenant!.Id, e.TenantId));
        Assert.Null(await db.Sessions.SingleOrDefaultAsync(s => s.Id == portal.InitechSession));
    }

    [Fact]
    public async Task Outside_any_tenant_no_tenant_rows_are_visible()
    {
        await using var db = portal.Database.CreateContext();

        Assert.Equal(0, await db.Sessions.CountAsync());
        Assert.Equal(0, await db.Users.CountAsync());
        Assert.Equal(1, await db.Templates.CountAsync());
    }

    [Fact]
    public async Task Changing_a_row_of_another_tenant_throws_and_changes_nothing()
    {
        await using (var db = ContextOf(portal.Acme))
        {
            var foreignTier = await db.Tiers.IgnoreQueryFilters([StreamSpaceDb.TenantFilter]).SingleAsync(t => t.TenantId == portal.Initech.Tenant!.Id && t.Name == "free");
            foreignTier.Change(new TierLimits(1, 1, 0, 1, TimeSpan.Zero, TimeSpan.Zero), new TierDlp(false, false, false, false));

            await Assert.ThrowsAsync<CrossTenantWriteException>(() => db.SaveChangesAsync());
        }

        await using var globex = ContextOf(portal.Initech);
        Assert.NotEqual(1, (await globex.Tiers.SingleAsync(t => t.Name == "free")).MemoryBytes);
    }

    [Fact]
    public async Task Deleting_a_row_of_another_tenant_throws()
    {
        await using var db = ContextOf(portal.Acme);
        var foreign = await db.Sessions.IgnoreQueryFilters([StreamSpaceDb.TenantFilter]).SingleAsync(s => s.Id == portal.InitechSession);
        db.Sessions.Remove(foreign);

        await Assert.ThrowsAsync<CrossTenantWriteException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task A_new_row_is_stamped_with_the_current_tenant()
    {
        await using var db = ContextOf(portal.Acme);
        var tier = Tier.Create("team", Tier.Defaults()[0].Limits, Tier.Defaults()[0].Dlp);
        db.Tiers.Add(tier);
        await db.SaveChangesAsync();

        Assert.Equal(portal.Acme.Tenant!.Id, tier.TenantId);
    }

    [Fact]
    public async Task Writing_a_tenant_row_outside_any_tenant_throws()
    {
        await using var db = portal.Database.CreateContext();
        db.Tiers.Add(Tier.Create("orphan", Tier.Defaults()[0].Limits, Tier.Defaults()[0].Dlp));

        await Assert.ThrowsAsync<CrossTenantWriteException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task A_private_template_is_seen_by_its_tenant_only_and_global_ones_by_all()
    {
        await using (var db = ContextOf(portal.Acme))
        {
            db.Templates.Add(Template.CreateForTenant(portal.Acme.Tenant!.Id, BuiltInTemplates.All[1] with { Name = "acme-browser" }));
            await db.SaveChangesAsync();
            Assert.Equal(2, await db.Templates.CountAsync());
        }

        await using var globex = ContextOf(portal.Initech);
        Assert.Equal(["xterm"], await globex.Templates.Select(t => t.Name).ToListAsync());
    }

    [Fact]
    public async Task A_tenant_cannot_change_a_global_template()
    {
        await using var db = ContextOf(portal.Acme);
        var global = await db.Templates.SingleAsync(t => t.TenantId == null);
        global.Update(BuiltInTemplates.All[0] with { DisplayName = "Hijacked" });

        await Assert.ThrowsAsync<CrossTenantWriteException>(() => db.SaveChangesAsync());
    }

    private StreamSpaceDb ContextOf(SignupResult tenant) => portal.ContextOf(tenant);
}
