using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Identity;

namespace StreamSpace.Infrastructure.Data.Configurations;

internal sealed class ExternalLoginConfiguration : IEntityTypeConfiguration<ExternalLogin>
{
    public void Configure(EntityTypeBuilder<ExternalLogin> builder)
    {
        builder.HasIndex(l => new { l.TenantId, l.Issuer, l.Subject }).IsUnique();
        builder.Property(l => l.Issuer).HasMaxLength(500);
        builder.Property(l => l.Subject).HasMaxLength(255);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(l => l.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Member>().WithMany().HasForeignKey(l => l.MemberId).OnDelete(DeleteBehavior.Cascade);
    }
}
