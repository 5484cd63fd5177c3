namespace StreamSpace.Web.Pages.Sessions;

/// <summary>What the viewer polls while a session starts, resumes or stops.</summary>
public sealed record SessionStatus(
    string State,
    string? Progress,
    string? FailureReason,
    DateTimeOffset? HibernatesAt,
    string? HibernateReason,
    bool Warn,
    bool KeepAwake,
    string? HibernatedBecause,
    bool WatchedByAdmin,
    bool HomeFull);
