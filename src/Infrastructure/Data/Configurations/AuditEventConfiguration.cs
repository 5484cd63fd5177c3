using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Tenants;

namespace StreamSpace.Infrastructure.Data.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.HasIndex(a => new { a.TenantId, a.At });
        builder.Property(a => a.Actor).HasMaxLength(320);
        builder.Property(a => a.Action).HasMaxLength(100);
        builder.Property(a => a.Target).HasMaxLength(500);
        builder.Property(a => a.SourceIp).HasMaxLength(64);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
