using StreamSpace.Domain.Common;

namespace StreamSpace.Domain.Sessions;

public sealed class SessionStateException(SessionState from, SessionTransition transition)
    : DomainException($"A session that is {from.ToString().ToLowerInvariant()} cannot {Describe(transition)}.")
{
    public SessionState From { get; } = from;

    public SessionTransition Transition { get; } = transition;

    private static string Describe(SessionTransition transition) => transition switch
    {
        SessionTransition.Start => "start",
        SessionTransition.MarkRunning => "become running",
        SessionTransition.BeginHibernate => "hibernate",
        SessionTransition.MarkHibernated => "become hibernated",
        SessionTransition.BeginResume => "resume",
        SessionTransition.BeginTerminate => "be terminated",
        SessionTransition.MarkTerminated => "become terminated",
        SessionTransition.Fail => "fail",
        _ => transition.ToString(),
    };
}
