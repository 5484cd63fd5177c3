using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamSpace.Domain.Tenants;
using StreamSpace.Domain.Tiers;

namespace StreamSpace.Infrastructure.Data.Configurations;

internal sealed class TierConfiguration : IEntityTypeConfiguration<Tier>
{
    public void Configure(EntityTypeBuilder<Tier> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(63);
        builder.HasIndex(t => new { t.TenantId, t.Name }).IsUnique();
        builder.Ignore(t => t.Limits);
        builder.Ignore(t => t.Dlp);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
