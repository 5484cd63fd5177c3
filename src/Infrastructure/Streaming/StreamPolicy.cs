namespace StreamSpace.Infrastructure.Streaming;

/// <summary>What a viewer may send into a session, decided from the member's tier before the stream opens.</summary>
public sealed record StreamPolicy(bool ClipboardIn);
