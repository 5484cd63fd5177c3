using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Identity;

namespace StreamSpace.Infrastructure.Data.Configurations;

internal sealed class IdentityProviderConfiguration : IEntityTypeConfiguration<IdentityProvider>
{
    public void Configure(EntityTypeBuilder<IdentityProvider> builder)
    {
        builder.HasIndex(p => p.TenantId).IsUnique();
        builder.Property(p => p.DisplayName).HasMaxLength(IdentityProvider.MaxDisplayNameLength);
        builder.Property(p => p.Issuer).HasMaxLength(IdentityProvider.MaxIssuerLength);
        builder.Property(p => p.ClientId).HasMaxLength(IdentityProvider.MaxClientIdLength);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
