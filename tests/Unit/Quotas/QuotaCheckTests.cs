using StreamSpace.Domain.Common;
using StreamSpace.Domain.Quotas;
using StreamSpace.Domain.Tenants;
using StreamSpace.Domain.Tiers;

namespace StreamSpace.Tests.Unit.Quotas;

public sealed class QuotaCheckTests
{
    private static readonly EffectiveQuota Pro = EffectiveQuota.Of(Tier.Defaults().Single(t => t.Name == "pro"), QuotaOverrides.None);
    private static readonly PlanCaps Plan = PlanCaps.Default;

    [Fact]
    public void A_launch_that_fits_exactly_is_admitted()
    {
        var refusal = QuotaCheck.Admit(Gi(4), 2000, new QuotaUsage(Gi(12), 6000, 4), Pro, QuotaUsage.Zero, Plan);

        Assert.Null(refusal);
    }

    [Fact]
    public void A_request_near_the_largest_long_is_refused_rather_than_wrapping_round()
    {
        var memory = QuotaCheck.Admit(long.MaxValue, 1000, new QuotaUsage(Gi(12), 1000, 1), Pro, QuotaUsage.Zero, Plan);
        var cpu = QuotaCheck.Admit(Gi(1), int.MaxValue, new QuotaUsage(Gi(1), 1000, 1), Pro, QuotaUsage.Zero, Plan);
        var home = QuotaCheck.AdmitHome(long.MaxValue, Gi(10), Plan);

        Assert.Equal("memory", memory!.Limit);
        Assert.Equal("cpu", cpu!.Limit);
        Assert.Equal("plan-storage", home!.Limit);
    }

    [Fact]
    public void One_byte_over_the_memory_quota_is_refused_with_the_arithmetic()
    {
        var refusal = QuotaCheck.Admit(Gi(6), 1000, new QuotaUsage(Gi(12), 1000, 1), Pro, QuotaUsage.Zero, Plan);

        Assert.Equal("memory", refusal!.Limit);
        Assert.Equal("Memory: 6Gi requested + 12Gi running > 16Gi allowed by tier pro", refusal.Message);
    }

    [Fact]
    public void The_session_count_is_checked_first()
    {
        var refusal = QuotaCheck.Admit(Gi(1), 100, new QuotaUsage(Gi(1), 100, 5), Pro, QuotaUsage.Zero, Plan);

        Assert.Equal("Sessions: 1 requested + 5 running > 5 allowed by tier pro", refusal!.Message);
    }

    [Fact]
    public void Cpu_is_a_limit_too()
    {
        var refusal = QuotaCheck.Admit(Gi(1), 1000, new QuotaUsage(Gi(1), 7500, 1), Pro, QuotaUsage.Zero, Plan);

        Assert.Equal("CPU: 1 requested + 7500m running > 8 allowed by tier pro", refusal!.Message);
    }

    [Fact]
    public void Overrides_replace_the_tier_and_say_so()
    {
        var quota = EffectiveQuota.Of(Tier.Defaults().Single(t => t.Name == "pro"), new QuotaOverrides(Gi(4), null, null, null));

        var refusal = QuotaCheck.Admit(Gi(2), 100, new QuotaUsage(Gi(3), 100, 1), quota, QuotaUsage.Zero, Plan);

        Assert.Equal("Memory: 2Gi requested + 3Gi running > 4Gi allowed by tier pro with your overrides", refusal!.Message);
        Assert.Equal(5, quota.MaxSessions);
    }

    [Fact]
    public void The_organisations_plan_caps_apply_after_the_members_quota()
    {
        var plan = new PlanCaps(Gi(20), 3, 10, Gi(100));

        var sessions = QuotaCheck.Admit(Gi(1), 100, QuotaUsage.Zero, Pro, new QuotaUsage(Gi(3), 300, 3), plan);
        var memory = QuotaCheck.Admit(Gi(2), 100, QuotaUsage.Zero, Pro, new QuotaUsage(Gi(19), 300, 2), plan);

        Assert.Equal("Sessions: 1 requested + 3 running in your organisation > 3 allowed by its plan", sessions!.Message);
        Assert.Equal("Memory: 2Gi requested + 19Gi running in your organisation > 20Gi allowed by its plan", memory!.Message);
    }

    [Fact]
    public void A_new_home_must_fit_the_plans_storage()
    {
        var plan = new PlanCaps(Gi(64), 20, 50, Gi(100));

        Assert.Null(QuotaCheck.AdmitHome(Gi(10), Gi(90), plan));
        Assert.Equal(
            "Storage: 10Gi requested + 91Gi allocated in your organisation > 100Gi allowed by its plan",
            QuotaCheck.AdmitHome(Gi(10), Gi(91), plan)!.Message);
    }

    [Fact]
    public void Usage_above_a_lowered_quota_exceeds_it_and_usage_at_it_does_not()
    {
        var free = EffectiveQuota.Of(Tier.Defaults().Single(t => t.Name == "free"), QuotaOverrides.None);

        Assert.False(QuotaCheck.Exceeds(new QuotaUsage(Gi(4), 2000, 1), free));
        Assert.True(QuotaCheck.Exceeds(new QuotaUsage(Gi(4), 2000, 2), free));
        Assert.True(QuotaCheck.Exceeds(new QuotaUsage(Gi(4) + 1, 2000, 1), free));
    }

    private static long Gi(int n) => Quantity.ParseBytes($"{n}Gi");
}
