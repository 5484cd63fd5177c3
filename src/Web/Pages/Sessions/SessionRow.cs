using StreamSpace.Domain.Sessions;

namespace StreamSpace.Web.Pages.Sessions;

public sealed record SessionRow(Guid Id, string Name, string Template, SessionState State, string? Progress, DateTimeOffset CreatedAt);
