using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamSpace.Domain.Tenants;

namespace StreamSpace.Infrastructure.Data.Configurations;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> builder)
    {
        builder.Property(t => t.Slug).HasMaxLength(TenantSlug.MaxLength);
        builder.HasIndex(t => t.Slug).IsUnique();
        builder.Property(t => t.DisplayName).HasMaxLength(200);
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(20);
        builder.ComplexProperty(t => t.Plan);
        builder.Ignore(t => t.IsPlatform);
    }
}
