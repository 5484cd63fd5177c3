using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Tiers;

namespace StreamSpace.Infrastructure.Features.Sessions;

/// <summary>Resolves what a runtime needs for one session from its template, its member and the member's tier.</summary>
public sealed class SessionSpecs(StreamSpaceDb db, MemberQuotas quotas)
{
    public async Task<SessionSpec> ForAsync(Session session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var template = await db.Templates.SingleAsync(t => t.Id == session.TemplateId, cancellationToken);
        var member = await db.Users.SingleAsync(m => m.Id == session.MemberId, cancellationToken);
        var standing = await quotas.OfAsync(member.Id, cancellationToken);
        var tier = standing.Tier;
        var tenant = await db.Tenants.SingleAsync(t => t.Id == session.TenantId, cancellationToken);
        return new SessionSpec(
            session.Id,
            session.TenantId,
            tenant.Slug,
            member.Id,
            member.LocalUid,
            template.Name,
            template.DisplayName,
            template.Image,
            template.LocalCommand,
            template.Protocol,
            template.Port,
            session.MemoryBytes,
            session.CpuMillicores,
            template.Capabilities,
            template.Env.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal),
            ScreenSize.Default,
            ClipboardIn: tier.ClipboardIn,
            ClipboardOut: tier.ClipboardOut,
            UseVncAuth: true)
        {
            SessionName = session.Name,
            Runtime = session.Runtime,
            MemberName = member.UserName ?? member.Id.ToString(),
            HomeStorageBytes = standing.Quota.StorageBytes,
            RunningPeriod = standing.Quota.RunningPeriod,
        };
    }
}
