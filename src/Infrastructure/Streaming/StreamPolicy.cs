namespace StreamSpace.Infrastructure.Streaming;

/// <summary>
/// What a viewer may send into a session, decided before the stream opens: clipboard-in from the member's tier; a
/// view-only viewer (a tenant admin watching) sends no keys, pointer or clipboard, and its presence is not activity.
/// </summary>
public sealed record StreamPolicy(bool ClipboardIn, bool ViewOnly = false);
