using StreamSpace.Domain.Sessions;

namespace StreamSpace.Web.Pages.Sessions;

/// <summary>The viewer's session; <see cref="WatchedOwner"/> is set when a tenant admin watches another member's session read-only.</summary>
public sealed record ViewerSession(
    Guid Id,
    string Name,
    string Template,
    SessionState State,
    bool ClipboardIn,
    bool ClipboardOut,
    bool Watermark,
    string? WatchedOwner = null)
{
    public bool ViewOnly => WatchedOwner is not null;
}
