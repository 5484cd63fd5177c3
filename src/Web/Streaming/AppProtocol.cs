namespace StreamSpace.Web.Streaming;

/// <summary>What the browser speaks on one WebSocket to an <c>http</c> session's app, as its first message shows.</summary>
internal enum AppProtocol
{
    /// <summary>No message from the browser yet.</summary>
    Undetermined,

    /// <summary>The Selkies client's text messages (LinuxServer.io's current images).</summary>
    Selkies,

    /// <summary>RFB in binary messages (noVNC, KasmVNC's client in older LinuxServer.io images).</summary>
    Rfb,

    /// <summary>Anything else: every message counts as input.</summary>
    Unknown,
}
