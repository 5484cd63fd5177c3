using StreamSpace.Domain.Sessions;

namespace StreamSpace.Tests.Unit.Sessions;

public sealed class SessionStateMachineTests
{
    /// <summary>DESIGN §3 written out by hand, so the test does not trust the table it checks.</summary>
    private static readonly (SessionState From, SessionTransition Transition, SessionState To)[] Legal =
    [
        (SessionState.Pending, SessionTransition.Start, SessionState.Starting),
        (SessionState.Starting, SessionTransition.MarkRunning, SessionState.Running),
        (SessionState.Running, SessionTransition.BeginHibernate, SessionState.Hibernating),
        (SessionState.Hibernating, SessionTransition.MarkHibernated, SessionState.Hibernated),
        (SessionState.Hibernated, SessionTransition.BeginResume, SessionState.Resuming),
        (SessionState.Resuming, SessionTransition.MarkRunning, SessionState.Running),
        (SessionState.Failed, SessionTransition.BeginResume, SessionState.Resuming),
        (SessionState.Pending, SessionTransition.BeginTerminate, SessionState.Terminating),
        (SessionState.Starting, SessionTransition.BeginTerminate, SessionState.Terminating),
        (SessionState.Running, SessionTransition.BeginTerminate, SessionState.Terminating),
        (SessionState.Hibernating, SessionTransition.BeginTerminate, SessionState.Terminating),
        (SessionState.Hibernated, SessionTransition.BeginTerminate, SessionState.Terminating),
        (SessionState.Resuming, SessionTransition.BeginTerminate, SessionState.Terminating),
        (SessionState.Failed, SessionTransition.BeginTerminate, SessionState.Terminating),
        (SessionState.Terminating, SessionTransition.MarkTerminated, SessionState.Terminated),
        (SessionState.Pending, SessionTransition.Fail, SessionState.Failed),
        (SessionState.Starting, SessionTransition.Fail, SessionState.Failed),
        (SessionState.Running, SessionTransition.Fail, SessionState.Failed),
        (SessionState.Hibernating, SessionTransition.Fail, SessionState.Failed),
        (SessionState.Resuming, SessionTransition.Fail, SessionState.Failed),
        (SessionState.Terminating, SessionTransition.Fail, SessionState.Failed),
    ];

    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    public static TheoryData<SessionState, SessionTransition, SessionState> LegalTransitions()
    {
        var data = new TheoryData<SessionState, SessionTransition, SessionState>();
        foreach (var (from, transition, to) in Legal)
        {
            data.Add(from, transition, to);
        }

        return data;
    }

    public static TheoryData<SessionState, SessionTransition> IllegalTransitions()
    {
        var data = new TheoryData<SessionState, SessionTransition>();
        foreach (var from in Enum.GetValues<SessionState>())
        {
            foreach (var transition in Enum.GetValues<SessionTransition>())
            {
                if (!Legal.Any(l => l.From == from && l.Transition == transition))
                {
                    data.Add(from, transition);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LegalTransitions))]
    public void A_legal_transition_moves_the_session_to_the_next_state(SessionState from, SessionTransition transition, SessionState to)
    {
        var session = SessionIn(from);

        Apply(session, transition);

        Assert.Equal(to, session.State);
    }

    [Theory]
    [MemberData(nameof(IllegalTransitions))]
    public void An_illegal_transition_throws_and_leaves_the_state_alone(SessionState from, SessionTransition transition)
    {
        var session = SessionIn(from);

        var error = Assert.Throws<SessionStateException>(() => Apply(session, transition));

        Assert.Equal(from, session.State);
        Assert.Equal(from, error.From);
        Assert.Contains(from.ToString().ToLowerInvariant(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Running_sets_the_deadline_from_the_max_duration_and_hibernating_clears_it()
    {
        var session = SessionIn(SessionState.Starting);

        session.MarkRunning("unix:/run/vnc.sock", Now, TimeSpan.FromHours(8));
        Assert.Equal(Now.AddHours(8), session.Deadline);
        Assert.Equal("unix:/run/vnc.sock", session.Endpoint);

        session.BeginHibernate("idle 30m", Now);
        session.MarkHibernated(Now.AddHours(1));
        Assert.Null(session.Deadline);
        Assert.Null(session.Endpoint);
        Assert.Equal("idle 30m", session.HibernateReason);
    }

    [Fact]
    public void A_failure_keeps_its_reason_and_drops_the_endpoint()
    {
        var session = SessionIn(SessionState.Starting);

        session.Fail("Xvnc exited with code 1", Now);

        Assert.Equal(SessionState.Failed, session.State);
        Assert.Equal("Xvnc exited with code 1", session.FailureReason);
        Assert.Null(session.Endpoint);
    }

    [Fact]
    public void Progress_is_refused_outside_starting_and_resuming()
    {
        var session = SessionIn(SessionState.Running);

        Assert.ThrowsAny<StreamSpace.Domain.Common.DomainException>(() => session.ReportProgress("Starting Firefox…"));
    }

    [Fact]
    public void Live_and_transitional_states_are_told_apart()
    {
        Assert.True(SessionStateMachine.IsTransitional(SessionState.Starting));
        Assert.False(SessionStateMachine.IsTransitional(SessionState.Running));
        Assert.True(SessionStateMachine.IsLive(SessionState.Running));
        Assert.False(SessionStateMachine.IsLive(SessionState.Hibernated));
    }

    /// <summary>Reaches a state only through legal transitions, as real sessions do.</summary>
    private static Session SessionIn(SessionState state)
    {
        var session = Session.Create(Guid.NewGuid(), Guid.NewGuid(), "xterm-1", 256L << 20, 250, Now);
        var path = state switch
        {
            SessionState.Pending => [],
            SessionState.Starting => [SessionTransition.Start],
            SessionState.Running => [SessionTransition.Start, SessionTransition.MarkRunning],
            SessionState.Hibernating => [SessionTransition.Start, SessionTransition.MarkRunning, SessionTransition.BeginHibernate],
            SessionState.Hibernated => [SessionTransition.Start, SessionTransition.MarkRunning, SessionTransition.BeginHibernate, SessionTransition.MarkHibernated],
            SessionState.Resuming => [SessionTransition.Start, SessionTransition.MarkRunning, SessionTransition.BeginHibernate, SessionTransition.MarkHibernated, SessionTransition.BeginResume],
            SessionState.Terminating => [SessionTransition.BeginTerminate],
            SessionState.Terminated => [SessionTransition.BeginTerminate, SessionTransition.MarkTerminated],
            SessionState.Failed => new[] { SessionTransition.Fail },
            _ => throw new ArgumentOutOfRangeException(nameof(state)),
        };
        foreach (var transition in path)
        {
            Apply(session, transition);
        }

        Assert.Equal(state, session.State);
        return session;
    }

    private static void Apply(Session session, SessionTransition transition)
    {
        switch (transition)
        {
            case SessionTransition.Start: session.Start("Starting display…", Now); break;
            case SessionTransition.MarkRunning: session.MarkRunning("unix:/tmp/vnc.sock", Now, TimeSpan.FromHours(8)); break;
            case SessionTransition.BeginHibernate: session.BeginHibernate("admin", Now); break;
            case SessionTransition.MarkHibernated: session.MarkHibernated(Now); break;
            case SessionTransition.BeginResume: session.BeginResume("Starting display…", Now); break;
            case SessionTransition.BeginTerminate: session.BeginTerminate(Now); break;
            case SessionTransition.MarkTerminated: session.MarkTerminated(Now); break;
            case SessionTransition.Fail: session.Fail("boom", Now); break;
            default: throw new ArgumentOutOfRangeException(nameof(transition));
        }
    }
}
