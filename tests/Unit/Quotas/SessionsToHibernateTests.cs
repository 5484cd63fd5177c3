using StreamSpace.Domain.Quotas;
using StreamSpace.Domain.Tiers;

namespace StreamSpace.Tests.Unit.Quotas;

public sealed class SessionsToHibernateTests
{
    private static readonly EffectiveQuota OneSession = EffectiveQuota.Of(
        Tier.Create("one", Tier.Defaults()[1].Limits with { MaxSessions = 1 }, Tier.Defaults()[1].Dlp), QuotaOverrides.None);

    [Fact]
    public void Sessions_within_the_quota_are_all_kept()
    {
        Assert.Empty(QuotaCheck.SessionsToHibernate([Running(), Running()], EffectiveQuota.Of(Tier.Defaults()[1], QuotaOverrides.None)));
    }

    [Fact]
    public void The_newest_running_sessions_go_first_until_the_rest_fit()
    {
        Assert.Equal([2, 1], QuotaCheck.SessionsToHibernate([Running(), Running(), Running()], OneSession));
    }

    [Fact]
    public void A_session_that_is_not_running_is_skipped_and_an_older_one_goes_instead()
    {
        Assert.Equal([0], QuotaCheck.SessionsToHibernate([Running(), new LiveSession(Running: false, 1L << 30, 500)], OneSession));
    }

    [Fact]
    public void Overrides_replace_the_tiers_limit_in_the_arithmetic()
    {
        var quota = EffectiveQuota.Of(Tier.Defaults()[0], new QuotaOverrides(null, 3, null, null));

        Assert.Empty(QuotaCheck.SessionsToHibernate([Running(), Running(), Running()], quota));
    }

    private static LiveSession Running() => new(Running: true, 1L << 30, 500);
}
