using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamSpace.Domain.Tenants;
using StreamSpace.Domain.Tiers;
using StreamSpace.Infrastructure.Identity;

namespace StreamSpace.Infrastructure.Data.Configurations;

internal sealed class MemberConfiguration : IEntityTypeConfiguration<Member>
{
    /// <summary>Sandbox uids start well above any system or login account.</summary>
    public const string LocalUidSequence = "member_local_uid";

    public void Configure(EntityTypeBuilder<Member> builder)
    {
        builder.ToTable("members");

        // Identity makes user names and e-mails unique installation-wide; ours are unique per tenant.
        foreach (var index in builder.Metadata.GetIndexes()
                     .Where(i => i.Properties.Any(p => p.Name is nameof(Member.NormalizedUserName) or nameof(Member.NormalizedEmail)))
                     .ToList())
        {
            builder.Metadata.RemoveIndex(index);
        }

        builder.HasIndex(m => new { m.TenantId, m.NormalizedUserName }).IsUnique();
        builder.HasIndex(m => new { m.TenantId, m.NormalizedEmail });
        builder.Property(m => m.DisplayName).HasMaxLength(200);
        builder.Property(m => m.Role).HasMaxLength(20);
        builder.Ignore(m => m.Overrides);
        builder.Ignore(m => m.IsDisabled);
        builder.Property(m => m.LocalUid).HasDefaultValueSql($"nextval('{LocalUidSequence}')").ValueGeneratedOnAdd();
        builder.HasIndex(m => m.LocalUid).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Tier>().WithMany().HasForeignKey(m => m.TierId).OnDelete(DeleteBehavior.SetNull);
    }
}
