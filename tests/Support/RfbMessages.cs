using System.Buffers.Binary;
using System.Text;

namespace StreamSpace.Tests.Support;

/// <summary>Client-to-server messages built the way noVNC's <c>RFB.messages</c> lays them out.</summary>
public static class RfbMessages
{
    public static byte[] SetPixelFormat()
    {
        var message = new byte[20];
        message[4] = 32;
        message[5] = 24;
        message[7] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(8), 255);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(10), 255);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(12), 255);
        message[14] = 0;
        message[15] = 8;
        message[16] = 16;
        return message;
    }

    public static byte[] SetEncodings(params int[] encodings)
    {
        var message = new byte[4 + (4 * encodings.Length)];
        message[0] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)encodings.Length);
        for (var i = 0; i < encodings.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4 + (4 * i)), encodings[i]);
        }

        return message;
    }

    public static byte[] FramebufferUpdateRequest(bool incremental, int x, int y, int width, int height)
    {
        var message = new byte[10];
        message[0] = 3;
        message[1] = incremental ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)x);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), (ushort)y);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(6), (ushort)width);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(8), (ushort)height);
        return message;
    }

    public static byte[] KeyEvent(bool down, uint keysym)
    {
        var message = new byte[8];
        message[0] = 4;
        message[1] = down ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), keysym);
        return message;
    }

    public static byte[] PointerEvent(byte buttons, int x, int y)
    {
        var message = new byte[6];
        message[0] = 5;
        message[1] = buttons;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)x);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), (ushort)y);
        return message;
    }

    public static byte[] ClientCutText(string text) => ClientCutText(Encoding.Latin1.GetBytes(text), extended: false);

    public static byte[] ClientCutText(byte[] data, bool extended)
    {
        var message = new byte[8 + data.Length];
        message[0] = 6;
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), extended ? -data.Length : data.Length);
        data.CopyTo(message, 8);
        return message;
    }

    /// <summary>An extended clipboard message: flags (action in the top byte, formats in the low byte) then its payload.</summary>
    public static byte[] ExtendedClipboard(uint flags, byte[] payload)
    {
        var data = new byte[4 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(data, flags);
        payload.CopyTo(data, 4);
        return ClientCutText(data, extended: true);
    }

    public static byte[] EnableContinuousUpdates(bool enable, int width, int height)
    {
        var message = new byte[10];
        message[0] = 150;
        message[1] = enable ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(6), (ushort)width);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(8), (ushort)height);
        return message;
    }

    public static byte[] ClientFence(uint flags, byte[] payload)
    {
        var message = new byte[9 + payload.Length];
        message[0] = 248;
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), flags);
        message[8] = (byte)payload.Length;
        payload.CopyTo(message, 9);
        return message;
    }

    public static byte[] Xvp(byte version, byte operation) => [250, 0, version, operation];

    public static byte[] SetDesktopSize(int width, int height, int screens)
    {
        var message = new byte[8 + (16 * screens)];
        message[0] = 251;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)width);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), (ushort)height);
        message[6] = (byte)screens;
        for (var i = 0; i < screens; i++)
        {
            var screen = message.AsSpan(8 + (16 * i));
            BinaryPrimitives.WriteUInt32BigEndian(screen, (uint)i);
            BinaryPrimitives.WriteUInt16BigEndian(screen[8..], (ushort)width);
            BinaryPrimitives.WriteUInt16BigEndian(screen[10..], (ushort)height);
        }

        return message;
    }

    public static byte[] QemuExtendedKeyEvent(bool down, uint keysym, uint keycode)
    {
        var message = new byte[12];
        message[0] = 255;
        message[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), down ? (ushort)1 : (ushort)0);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), keysym);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(8), keycode);
        return message;
    }
}
