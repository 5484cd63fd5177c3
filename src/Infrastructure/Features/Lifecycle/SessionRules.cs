using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Features.Sessions;

namespace StreamSpace.Infrastructure.Features.Lifecycle;

/// <summary>The hibernation rules that apply to one member's sessions: their effective quota plus the installation's settings.</summary>
public sealed class SessionRules(QuotaAdmission quotas, IOptions<HibernationOptions> options)
{
    public async Task<HibernationRules> ForMemberAsync(Guid memberId, CancellationToken cancellationToken)
    {
        var quota = await quotas.QuotaOfAsync(memberId, cancellationToken);
        var settings = options.Value;
        return new HibernationRules(
            settings.Enabled,
            quota.IdleTimeout > TimeSpan.Zero ? quota.IdleTimeout : settings.DefaultIdleTimeoutSpan,
            quota.MaxSessionDuration,
            settings.WarningBeforeSpan);
    }
}
