namespace StreamSpace.Infrastructure.Streaming;

/// <summary>The client-to-server RFB messages noVNC can send; anything else closes the stream.</summary>
#pragma warning disable CA1028 // The values are the RFB wire bytes.
public enum RfbClientMessageType : byte
#pragma warning restore CA1028
{
    SetPixelFormat = 0,
    SetEncodings = 2,
    FramebufferUpdateRequest = 3,
    KeyEvent = 4,
    PointerEvent = 5,
    ClientCutText = 6,
    EnableContinuousUpdates = 150,
    ClientFence = 248,
    Xvp = 250,
    SetDesktopSize = 251,
    QemuClientMessage = 255,
}
