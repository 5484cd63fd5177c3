using Microsoft.Extensions.Time.Testing;
using StreamSpace.Domain.Sessions;

namespace StreamSpace.Tests.Unit.Sessions;

public sealed class HibernationOutlookTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    private static readonly HibernationRules Rules = new(IdleEnabled: true, TimeSpan.FromMinutes(30), TimeSpan.FromHours(8), TimeSpan.FromMinutes(5));

    [Fact]
    public void A_session_without_any_input_is_idle_from_when_it_started()
    {
        var (session, clock) = Running();

        clock.Advance(TimeSpan.FromMinutes(30));

        var outlook = HibernationOutlook.For(session, Rules, clock.GetUtcNow());
        Assert.True(outlook.Due);
        Assert.Equal("idle 30m", outlook.Reason);
        Assert.Equal(Start.AddMinutes(30), outlook.At);
    }

    [Fact]
    public void One_second_before_the_idle_timeout_it_warns_but_is_not_due()
    {
        var (session, clock) = Running();

        clock.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromSeconds(1));

        var outlook = HibernationOutlook.For(session, Rules, clock.GetUtcNow());
        Assert.False(outlook.Due);
        Assert.True(outlook.Warn);
        Assert.Equal(TimeSpan.FromSeconds(1), outlook.Remaining(clock.GetUtcNow()));
    }

    [Fact]
    public void The_warning_starts_exactly_the_warning_time_before()
    {
        var (session, clock) = Running();

        clock.Advance(TimeSpan.FromMinutes(25) - TimeSpan.FromTicks(1));
        Assert.False(HibernationOutlook.For(session, Rules, clock.GetUtcNow()).Warn);

        clock.Advance(TimeSpan.FromTicks(1));
        Assert.True(HibernationOutlook.For(session, Rules, clock.GetUtcNow()).Warn);
    }

    [Fact]
    public void Input_moves_the_idle_hibernation_later()
    {
        var (session, clock) = Running();
        clock.Advance(TimeSpan.FromMinutes(20));
        session.RecordInput(clock.GetUtcNow());

        clock.Advance(TimeSpan.FromMinutes(29));

        var outlook = HibernationOutlook.For(session, Rules, clock.GetUtcNow());
        Assert.False(outlook.Due);
        Assert.Equal(Start.AddMinutes(50), outlook.At);
    }

    [Fact]
    public void Input_from_before_the_running_period_does_not_count()
    {
        var clock = new FakeTimeProvider(Start);
        var session = Session.Create(Guid.NewGuid(), Guid.NewGuid(), "s", 1, 1, clock.GetUtcNow());
        session.RecordInput(Start.AddMinutes(-90));
        session.Start("Starting display…", Start);
        session.MarkRunning("unix:/x", Start, TimeSpan.FromHours(8));

        Assert.Equal(Start, session.IdleSince);
    }

    [Fact]
    public void A_kept_awake_session_is_not_idle_but_still_meets_its_deadline()
    {
        var (session, clock) = Running();
        session.SetKeepAwake(true);

        clock.Advance(TimeSpan.FromHours(7));
        var early = HibernationOutlook.For(session, Rules, clock.GetUtcNow());
        Assert.False(early.Due);
        Assert.Equal("max duration 8h", early.Reason);

        clock.Advance(TimeSpan.FromHours(1));
        Assert.True(HibernationOutlook.For(session, Rules, clock.GetUtcNow()).Due);
    }

    [Fact]
    public void Input_never_extends_the_deadline()
    {
        var (session, clock) = Running();
        for (var minute = 0; minute < 8 * 60; minute += 10)
        {
            clock.Advance(TimeSpan.FromMinutes(10));
            session.RecordInput(clock.GetUtcNow());
        }

        var outlook = HibernationOutlook.For(session, Rules, clock.GetUtcNow());
        Assert.True(outlook.Due);
        Assert.Equal("max duration 8h", outlook.Reason);
        Assert.Equal(Start.AddHours(8), outlook.At);
    }

    [Fact]
    public void When_idle_and_deadline_fall_together_the_deadline_is_the_reason()
    {
        var (session, clock) = Running(maxDuration: TimeSpan.FromMinutes(30));

        clock.Advance(TimeSpan.FromMinutes(30));

        Assert.StartsWith("max duration", HibernationOutlook.For(session, Rules, clock.GetUtcNow()).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void With_hibernation_disabled_only_the_deadline_remains()
    {
        var (session, clock) = Running();
        clock.Advance(TimeSpan.FromHours(2));

        var outlook = HibernationOutlook.For(session, Rules with { IdleEnabled = false }, clock.GetUtcNow());

        Assert.False(outlook.Due);
        Assert.Equal(Start.AddHours(8), outlook.At);
    }

    [Fact]
    public void A_session_that_is_not_running_has_no_outlook()
    {
        var (session, clock) = Running();
        session.BeginHibernate("user", clock.GetUtcNow());

        Assert.Equal(HibernationOutlook.None, HibernationOutlook.For(session, Rules, clock.GetUtcNow().AddDays(1)));
    }

    [Fact]
    public void Hibernating_clears_keep_awake()
    {
        var (session, clock) = Running();
        session.SetKeepAwake(true);
        session.BeginHibernate("max duration 8h", clock.GetUtcNow());
        session.MarkHibernated(clock.GetUtcNow());

        Assert.False(session.KeepAwake);
        Assert.Throws<StreamSpace.Domain.Common.DomainException>(() => session.SetKeepAwake(true));
    }

    private static (Session Session, FakeTimeProvider Clock) Running(TimeSpan? maxDuration = null)
    {
        var clock = new FakeTimeProvider(Start);
        var session = Session.Create(Guid.NewGuid(), Guid.NewGuid(), "s", 1, 1, clock.GetUtcNow());
        session.Start("Starting display…", Start);
        session.MarkRunning("unix:/x", Start, maxDuration ?? TimeSpan.FromHours(8));
        return (session, clock);
    }
}
