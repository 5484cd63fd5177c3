using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamSpace.Domain.Tenants;
using StreamSpace.Domain.Usage;

namespace StreamSpace.Infrastructure.Data.Configurations;

internal sealed class UsageSampleConfiguration : IEntityTypeConfiguration<UsageSample>
{
    public void Configure(EntityTypeBuilder<UsageSample> builder)
    {
        builder.HasKey(u => new { u.TenantId, u.MemberId, u.TemplateId, u.Hour });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(u => u.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
