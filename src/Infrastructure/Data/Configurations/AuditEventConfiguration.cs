using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Tenants;

namespace StreamSpace.Infrastructure.Data.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        // Newest first with (at, id) as the keyset of the audit page's pagination.
        builder.HasIndex(a => new { a.TenantId, a.At, a.Id });
        builder.Property(a => a.Actor).HasMaxLength(320);
        builder.Property(a => a.Action).HasMaxLength(100);
        builder.Property(a => a.Target).HasMaxLength(500);
        builder.Property(a => a.SourceIp).HasMaxLength(64);
        // Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE): a tenant with events is never deleted with them.
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}
