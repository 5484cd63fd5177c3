namespace StreamSpace.Domain.Sessions;

/// <summary>The one table of legal session transitions (DESIGN §3).</summary>
public static class SessionStateMachine
{
    private static readonly Dictionary<(SessionState From, SessionTransition Transition), SessionState> Edges = new()
    {
        [(SessionState.Pending, SessionTransition.Start)] = SessionState.Starting,
        [(SessionState.Starting, SessionTransition.MarkRunning)] = SessionState.Running,
        [(SessionState.Resuming, SessionTransition.MarkRunning)] = SessionState.Running,
        [(SessionState.Running, SessionTransition.BeginHibernate)] = SessionState.Hibernating,
        [(SessionState.Hibernating, SessionTransition.MarkHibernated)] = SessionState.Hibernated,
        [(SessionState.Hibernated, SessionTransition.BeginResume)] = SessionState.Resuming,
        [(SessionState.Failed, SessionTransition.BeginResume)] = SessionState.Resuming,
        [(SessionState.Pending, SessionTransition.BeginTerminate)] = SessionState.Terminating,
        [(SessionState.Starting, SessionTransition.BeginTerminate)] = SessionState.Terminating,
        [(SessionState.Running, SessionTransition.BeginTerminate)] = SessionState.Terminating,
        [(SessionState.Hibernating, SessionTransition.BeginTerminate)] = SessionState.Terminating,
        [(SessionState.Hibernated, SessionTransition.BeginTerminate)] = SessionState.Terminating,
        [(SessionState.Resuming, SessionTransition.BeginTerminate)] = SessionState.Terminating,
        [(SessionState.Failed, SessionTransition.BeginTerminate)] = SessionState.Terminating,
        [(SessionState.Terminating, SessionTransition.MarkTerminated)] = SessionState.Terminated,
        [(SessionState.Pending, SessionTransition.Fail)] = SessionState.Failed,
        [(SessionState.Starting, SessionTransition.Fail)] = SessionState.Failed,
        [(SessionState.Running, SessionTransition.Fail)] = SessionState.Failed,
        [(SessionState.Hibernating, SessionTransition.Fail)] = SessionState.Failed,
        [(SessionState.Resuming, SessionTransition.Fail)] = SessionState.Failed,
        [(SessionState.Terminating, SessionTransition.Fail)] = SessionState.Failed,
    };

    /// <summary>States in which compute may be allocated or about to be; what quotas count.</summary>
    public static IReadOnlyList<SessionState> LiveStates { get; } =
        [SessionState.Pending, SessionState.Starting, SessionState.Running, SessionState.Hibernating, SessionState.Resuming];

    /// <summary>States a job is expected to move on from soon; a session must never stay in one.</summary>
    public static IReadOnlyList<SessionState> TransitionalStates { get; } =
        [SessionState.Pending, SessionState.Starting, SessionState.Hibernating, SessionState.Resuming, SessionState.Terminating];

    public static bool TryNext(SessionState from, SessionTransition transition, out SessionState to) =>
        Edges.TryGetValue((from, transition), out to);

    public static bool IsLive(SessionState state) => LiveStates.Contains(state);

    public static bool IsTransitional(SessionState state) => TransitionalStates.Contains(state);
}
