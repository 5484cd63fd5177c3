using System.Linq.Expressions;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Domain.Tenants;
using StreamSpace.Domain.Tiers;
using StreamSpace.Domain.Usage;
using StreamSpace.Infrastructure.Features.Members;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Infrastructure.Data;

public sealed class StreamSpaceDb(DbContextOptions<StreamSpaceDb> options, TenantContext tenantContext)
    : IdentityUserContext<Member, Guid>(options), IDataProtectionKeyContext
{
    /// <summary>The name of the query filter that hides other tenants' rows.</summary>
    public const string TenantFilter = "Tenant";

    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<Tier> Tiers => Set<Tier>();

    public DbSet<Template> Templates => Set<Template>();

    /// <summary>Templates a tenant has switched off for its members.</summary>
    public DbSet<DisabledTemplate> DisabledTemplates => Set<DisabledTemplate>();

    public DbSet<Session> Sessions => Set<Session>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<SessionRun> SessionRuns => Set<SessionRun>();

    public DbSet<UsageSample> UsageSamples => Set<UsageSample>();

    public DbSet<HandoverTicket> HandoverTickets => Set<HandoverTicket>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<ApiClient> ApiClients => Set<ApiClient>();

    public DbSet<IdentityKey> IdentityKeys => Set<IdentityKey>();

    public DbSet<IdentityProvider> IdentityProviders => Set<IdentityProvider>();

    public DbSet<ExternalLogin> ExternalLogins => Set<ExternalLogin>();

    /// <summary>Read by the query filters on every query; EF Core turns it into a parameter.</summary>
    internal Guid? CurrentTenantId => tenantContext.TenantId;

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardTenantBoundary();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardTenantBoundary();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasSequence<int>(Configurations.MemberConfiguration.LocalUidSequence).StartsAt(200_000);
        builder.ApplyConfigurationsFromAssembly(typeof(StreamSpaceDb).Assembly);
        builder.Entity<IdentityUserClaim<Guid>>().ToTable("member_claims");
        builder.Entity<IdentityUserLogin<Guid>>().ToTable("member_logins");
        builder.Entity<IdentityUserToken<Guid>>().ToTable("member_tokens");
        builder.UseOpenIddict();

        foreach (var entityType in builder.Model.GetEntityTypes()
                     .Where(e => typeof(ITenantOwned).IsAssignableFrom(e.ClrType) && e.BaseType is null))
        {
            typeof(StreamSpaceDb).GetMethod(nameof(FilterByTenant), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .MakeGenericMethod(entityType.ClrType)
                .Invoke(this, [builder]);
        }

        // Global templates (no tenant) are visible to every tenant; private ones only to their own.
        builder.Entity<Template>().HasQueryFilter(TenantFilter, t => t.TenantId == null || t.TenantId == CurrentTenantId);
    }

    private void FilterByTenant<TEntity>(ModelBuilder builder)
        where TEntity : class, ITenantOwned
    {
        Expression<Func<TEntity, bool>> filter = e => e.TenantId == CurrentTenantId;
        builder.Entity<TEntity>().HasQueryFilter(TenantFilter, filter);
    }

    /// <summary>Stamps new rows with the current tenant and refuses any write that crosses the boundary.</summary>
    private void GuardTenantBoundary()
    {
        var current = CurrentTenantId;
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            switch (entry.Entity)
            {
                case ITenantOwned owned:
                    if (current is null)
                    {
                        throw new CrossTenantWriteException($"{entry.Metadata.ClrType.Name} was written outside any tenant.");
                    }

                    if (entry.State == EntityState.Added && owned.TenantId == Guid.Empty)
                    {
                        entry.Property(nameof(ITenantOwned.TenantId)).CurrentValue = current.Value;
                    }
                    else if (owned.TenantId != current)
                    {
                        throw new CrossTenantWriteException($"{entry.Metadata.ClrType.Name} of another tenant was {entry.State.ToString().ToLowerInvariant()}.");
                    }

                    break;
                case Template template when template.TenantId != current && !(template.TenantId is null && current is null):
                    throw new CrossTenantWriteException(template.TenantId is null
                        ? "Global templates are changed by the platform, not by a tenant."
                        : "A template of another tenant was written.");
            }
        }
    }
}
