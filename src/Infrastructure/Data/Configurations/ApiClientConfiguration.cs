using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Identity;

namespace StreamSpace.Infrastructure.Data.Configurations;

internal sealed class ApiClientConfiguration : IEntityTypeConfiguration<ApiClient>
{
    public void Configure(EntityTypeBuilder<ApiClient> builder)
    {
        builder.Property(c => c.ClientId).HasMaxLength(100);
        builder.Property(c => c.DisplayName).HasMaxLength(100);
        builder.HasIndex(c => new { c.TenantId, c.ClientId }).IsUnique();
        builder.HasIndex(c => c.ClientId).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Member>().WithMany().HasForeignKey(c => c.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}
