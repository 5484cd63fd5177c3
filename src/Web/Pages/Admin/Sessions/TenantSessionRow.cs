using StreamSpace.Domain.Sessions;

namespace StreamSpace.Web.Pages.Admin.Sessions;

/// <summary>One session of the organisation as its admins see it.</summary>
public sealed record TenantSessionRow(
    Guid Id,
    string Name,
    string Owner,
    string Template,
    SessionState State,
    TimeSpan? Idle,
    long MemoryBytes,
    int CpuMillicores,
    string? HibernateReason,
    bool MayWatch,
    string? Problem = null)
{
    public bool CanHibernate => State == SessionState.Running;

    public bool CanTerminate => SessionStateMachine.TryNext(State, SessionTransition.BeginTerminate, out _);
}
