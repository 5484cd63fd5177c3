namespace StreamSpace.Infrastructure.Streaming;

/// <summary>
/// What a viewer may send into and receive from a session, decided before the stream opens: clipboard-in and clipboard-out
/// from the member's tier; a view-only viewer (a tenant admin watching) sends no keys, pointer, clipboard or desktop resize,
/// and its presence is not activity.
/// </summary>
public sealed record StreamPolicy(bool ClipboardIn, bool ViewOnly = false, bool ClipboardOut = true);
