using System.ComponentModel.DataAnnotations;

namespace StreamSpace.Infrastructure.Streaming;

public sealed class StreamGatewayOptions
{
    public const string Section = "StreamGateway";

    /// <summary>How often recorded input and connection times are written to the sessions table.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the session and the viewer each get to finish their handshake; a dead session fails within it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest clipboard paste a viewer may send; larger ones close the stream.</summary>
    [Range(0, 256 * 1024 * 1024)]
    public int MaxClipboardBytes { get; set; } = RfbClientMessageFramer.DefaultMaxClipboardBytes;
}
