using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamSpace.Infrastructure.Identity;

namespace StreamSpace.Infrastructure.Data.Configurations;

internal sealed class IdentityKeyConfiguration : IEntityTypeConfiguration<IdentityKey>
{
    public void Configure(EntityTypeBuilder<IdentityKey> builder)
    {
        builder.HasKey(k => k.Name);
        builder.Property(k => k.Name).HasMaxLength(50);
    }
}
