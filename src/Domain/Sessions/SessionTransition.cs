namespace StreamSpace.Domain.Sessions;

/// <summary>The things that can happen to a session; <see cref="SessionStateMachine"/> says where each is legal.</summary>
public enum SessionTransition
{
    Start,
    MarkRunning,
    BeginHibernate,
    MarkHibernated,
    BeginResume,
    BeginTerminate,
    MarkTerminated,
    Fail,
}
