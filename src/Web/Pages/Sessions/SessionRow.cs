using StreamSpace.Domain.Sessions;

namespace StreamSpace.Web.Pages.Sessions;

public sealed record SessionRow(
    Guid Id,
    string Name,
    string Template,
    SessionState State,
    string? Progress,
    string? FailureReason,
    DateTimeOffset CreatedAt,
    bool KeepAwake,
    HibernationOutlook Outlook,
    string? HibernateReason)
{
    /// <summary>A row in a state a job will soon change polls for itself; settled rows do not.</summary>
    public bool IsChanging => SessionStateMachine.IsTransitional(State);

    public string? Error { get; init; }
}
