namespace StreamSpace.Infrastructure.Streaming;

/// <summary>
/// One complete client-to-server message. <see cref="Bytes"/> is what to forward (empty when dropped) and stays valid
/// only until the next call to <see cref="RfbClientMessageFramer.TryRead"/>.
/// </summary>
public readonly ref struct RfbClientMessage
{
    public RfbClientMessage(RfbClientMessageType type, int length, ReadOnlySpan<byte> bytes, bool forwarded)
    {
        Type = type;
        Length = length;
        Bytes = bytes;
        IsForwarded = forwarded;
    }

    public RfbClientMessageType Type { get; }

    /// <summary>How many bytes the viewer sent for this message.</summary>
    public int Length { get; }

    public ReadOnlySpan<byte> Bytes { get; }

    public bool IsForwarded { get; }

    /// <summary>Keys and pointer movement are what "the user is active" means, not an open tab.</summary>
    public bool IsInput => Type is RfbClientMessageType.KeyEvent or RfbClientMessageType.PointerEvent or RfbClientMessageType.QemuClientMessage;
}
