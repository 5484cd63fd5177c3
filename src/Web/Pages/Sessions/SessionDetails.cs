using StreamSpace.Domain.Sessions;

namespace StreamSpace.Web.Pages.Sessions;

public sealed record SessionDetails(
    Guid Id,
    string Name,
    string Template,
    SessionState State,
    string? Progress,
    string? FailureReason,
    string? HibernateReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? HibernatedAt);
