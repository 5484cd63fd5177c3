using StreamSpace.Domain.Sessions;

namespace StreamSpace.Web.Pages.Sessions;

public sealed record ViewerSession(
    Guid Id,
    string Name,
    string Template,
    SessionState State,
    bool ClipboardIn,
    bool ClipboardOut,
    bool Watermark);
