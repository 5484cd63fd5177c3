namespace StreamSpace.Web.Api;

/// <summary>A session as the API returns it; <c>ViewerPath</c> is the portal page that streams it.</summary>
public sealed record ApiSession(
    Guid Id,
    string Name,
    string Template,
    string TemplateDisplayName,
    string State,
    string? Progress,
    string? FailureReason,
    string? HibernateReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset StateChangedAt,
    string ViewerPath);
