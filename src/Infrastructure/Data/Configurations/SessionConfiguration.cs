using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Identity;

namespace StreamSpace.Infrastructure.Data.Configurations;

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> builder)
    {
        builder.Property(s => s.Name).HasMaxLength(63);
        builder.HasIndex(s => new { s.TenantId, s.MemberId, s.State });
        builder.HasIndex(s => new { s.TenantId, s.Name }).IsUnique();
        builder.Property(s => s.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Runtime).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Progress).HasMaxLength(200);
        builder.Property(s => s.FailureReason).HasMaxLength(2000);
        builder.Property(s => s.HibernateReason).HasMaxLength(100);
        builder.Property(s => s.Endpoint).HasMaxLength(500);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.Ignore(s => s.IdleSince);
        builder.HasIndex(s => new { s.State, s.StateChangedAt });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Member>().WithMany().HasForeignKey(s => s.MemberId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Template>().WithMany().HasForeignKey(s => s.TemplateId).OnDelete(DeleteBehavior.Restrict);
    }
}
