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

    /// <summary>The largest clipboard paste a viewer may send (1 MiB by default); a larger declared length closes the stream.</summary>
    [Range(0, 64 * 1024 * 1024)]
    public int MaxClipboardBytes { get; set; } = RfbClientMessageFramer.DefaultMaxClipboardBytes;

    /// <summary>How many session streams one member may hold open at once in this process (tabs, or sessions watched); more answer 429.</summary>
    [Range(1, 1000)]
    public int MaxStreamsPerMember { get; set; } = 8;

    /// <summary>How many <c>/api/v1/sessions/events</c> streams one API token may hold open at once; each polls the database.</summary>
    [Range(1, 100)]
    public int MaxEventStreamsPerToken { get; set; } = 4;
}
