using System.Buffers.Binary;
using System.Text;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>Server-to-client RFB messages as a session's VNC server sends them.</summary>
internal static class GatewayServerMessages
{
    public const uint ClipboardCaps = 1u << 24;
    public const uint ClipboardProvide = 1u << 28;
    public const uint ClipboardText = 1;

    public static byte[] ServerCutText(string text)
    {
        var data = Encoding.Latin1.GetBytes(text);
        var message = new byte[8 + data.Length];
        message[0] = 3;
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), data.Length);
        data.CopyTo(message, 8);
        return message;
    }

    /// <summary>An extended clipboard message: flags (action in the top byte, formats in the low byte) and its payload.</summary>
    public static byte[] ExtendedServerCutText(uint flags, byte[] payload)
    {
        var message = new byte[12 + payload.Length];
        message[0] = 3;
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), -(4 + payload.Length));
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(8), flags);
        payload.CopyTo(message, 12);
        return message;
    }

    public static byte[] Bell() => [2];

    /// <summary>A FramebufferUpdate of one raw 2×1 rectangle at 32 bits per pixel.</summary>
    public static byte[] RawUpdate(byte shade)
    {
        var message = new byte[4 + 12 + 8];
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(8), 2);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(10), 1);
        message.AsSpan(16).Fill(shade);
        return message;
    }
}
