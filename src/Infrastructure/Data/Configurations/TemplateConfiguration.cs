using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamSpace.Domain.Templates;
using StreamSpace.Domain.Tenants;

namespace StreamSpace.Infrastructure.Data.Configurations;

internal sealed class TemplateConfiguration : IEntityTypeConfiguration<Template>
{
    public void Configure(EntityTypeBuilder<Template> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(63);

        // NULLS NOT DISTINCT keeps global template names unique too.
        builder.HasIndex(t => new { t.TenantId, t.Name }).IsUnique().AreNullsDistinct(false);
        builder.Property(t => t.DisplayName).HasMaxLength(200);
        builder.Property(t => t.Category).HasMaxLength(100);
        builder.Property(t => t.Icon).HasMaxLength(100);
        builder.Property(t => t.Image).HasMaxLength(300);
        builder.Property(t => t.Protocol).HasConversion<string>().HasMaxLength(10);
        builder.Property(t => t.Ports).IsJsonList();
        builder.Property(t => t.Env).IsJsonList();
        builder.Ignore(t => t.RunsLocally);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
