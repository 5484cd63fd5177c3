using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Usage;

namespace StreamSpace.Infrastructure.Data.Configurations;

internal sealed class SessionRunConfiguration : IEntityTypeConfiguration<SessionRun>
{
    public void Configure(EntityTypeBuilder<SessionRun> builder)
    {
        builder.HasIndex(r => new { r.TenantId, r.SessionId, r.EndedAt });
        builder.HasIndex(r => new { r.TenantId, r.StartedAt });
        builder.HasOne<Session>().WithMany().HasForeignKey(r => r.SessionId).OnDelete(DeleteBehavior.Cascade);
    }
}
