using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamSpace.Domain.Templates;
using StreamSpace.Domain.Tenants;

namespace StreamSpace.Infrastructure.Data.Configurations;

internal sealed class DisabledTemplateConfiguration : IEntityTypeConfiguration<DisabledTemplate>
{
    public void Configure(EntityTypeBuilder<DisabledTemplate> builder)
    {
        builder.HasIndex(d => new { d.TenantId, d.TemplateId }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Template>().WithMany().HasForeignKey(d => d.TemplateId).OnDelete(DeleteBehavior.Cascade);
    }
}
