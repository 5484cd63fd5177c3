using Microsoft.Extensions.Options;
using StreamSpace.Domain.Quotas;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Features.Sessions;

namespace StreamSpace.Infrastructure.Features.Lifecycle;

/// <summary>The hibernation rules that apply to one member's sessions: their effective quota plus the installation's settings.</summary>
public sealed class SessionRules(QuotaAdmission quotas, IOptions<HibernationOptions> options)
{
    public async Task<HibernationRules> ForMemberAsync(Guid memberId, CancellationToken cancellationToken) =>
        Rules(await quotas.QuotaOfAsync(memberId, cancellationToken));

    /// <summary>The rules of several members of the tenant at once, read in two queries.</summary>
    public async Task<Dictionary<Guid, HibernationRules>> ForMembersAsync(IReadOnlyCollection<Guid> memberIds, CancellationToken cancellationToken) =>
        (await quotas.QuotasOfAsync(memberIds, cancellationToken)).ToDictionary(pair => pair.Key, pair => Rules(pair.Value));

    private HibernationRules Rules(EffectiveQuota quota)
    {
        var settings = options.Value;
        return new HibernationRules(
            settings.Enabled,
            quota.IdleTimeout > TimeSpan.Zero ? quota.IdleTimeout : settings.DefaultIdleTimeoutSpan,
            quota.MaxSessionDuration,
            settings.WarningBeforeSpan);
    }
}
