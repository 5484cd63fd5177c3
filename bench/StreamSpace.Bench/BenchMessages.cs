using System.Buffers.Binary;
using System.Text;

namespace StreamSpace.Bench;

/// <summary>
/// The RFB messages the bench sends and expects. Everything a client sends must be a valid RFB client message, because
/// the gateway frames and checks every one; websockify passes the same bytes through unread.
/// </summary>
internal static class BenchMessages
{
    public const int RoundTripSize = 64;

    private const string ModePrefix = "bench:";

    /// <summary>The first message after the handshake tells the synthetic server which workload to play: a ClientCutText.</summary>
    public static byte[] SelectWorkload(string workload) => ClientCutText(ModePrefix + workload);

    public static bool TryReadWorkload(ReadOnlySpan<byte> text, out string workload)
    {
        var decoded = Encoding.ASCII.GetString(text);
        workload = decoded.StartsWith(ModePrefix, StringComparison.Ordinal) ? decoded[ModePrefix.Length..] : "";
        return workload.Length > 0;
    }

    public static byte[] ClientCutText(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var message = new byte[8 + bytes.Length];
        message[0] = 6;
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), bytes.Length);
        bytes.CopyTo(message, 8);
        return message;
    }

    /// <summary>A 64-byte client message as typing produces it: eight KeyEvents (press and release of four keys).</summary>
    public static byte[] Ping()
    {
        var message = new byte[RoundTripSize];
        for (var i = 0; i < 8; i++)
        {
            var key = message.AsSpan(i * 8, 8);
            key[0] = 4;
            key[1] = (byte)(i % 2 == 0 ? 1 : 0);
            BinaryPrimitives.WriteUInt32BigEndian(key[4..], 'a' + (uint)(i / 2));
        }

        return message;
    }

    /// <summary>The 64-byte answer: a ServerCutText carrying 56 bytes of text.</summary>
    public static byte[] Pong()
    {
        var message = new byte[RoundTripSize];
        message[0] = 3;
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), RoundTripSize - 8);
        message.AsSpan(8).Fill((byte)'x');
        return message;
    }

    /// <summary>What a busy viewer sends, repeated to <paramref name="size"/> bytes: PointerEvent (6) + FramebufferUpdateRequest (10).</summary>
    public static byte[] InputFlood(int size)
    {
        var message = new byte[size - (size % 16)];
        for (var offset = 0; offset < message.Length; offset += 16)
        {
            var pointer = message.AsSpan(offset, 6);
            pointer[0] = 5;
            BinaryPrimitives.WriteUInt16BigEndian(pointer[2..], (ushort)(offset / 16 % 1280));
            BinaryPrimitives.WriteUInt16BigEndian(pointer[4..], (ushort)(offset / 16 % 800));
            var request = message.AsSpan(offset + 6, 10);
            request[0] = 3;
            request[1] = 1;
            BinaryPrimitives.WriteUInt16BigEndian(request[6..], 1280);
            BinaryPrimitives.WriteUInt16BigEndian(request[8..], 800);
        }

        return message;
    }

    public static byte[] FramebufferUpdateRequest(bool incremental, int width, int height)
    {
        var message = new byte[10];
        message[0] = 3;
        message[1] = (byte)(incremental ? 1 : 0);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(6), (ushort)width);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(8), (ushort)height);
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

    /// <summary>One FramebufferUpdate with a single raw rectangle covering the whole 32-bit screen.</summary>
    public static byte[] RawScreenUpdate(int width, int height)
    {
        var message = new byte[4 + 12 + (width * height * 4)];
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(8), (ushort)width);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(10), (ushort)height);
        for (var i = 16; i < message.Length; i++)
        {
            message[i] = (byte)(i * 31);
        }

        return message;
    }

    /// <summary>ServerInit for a 32 bpp true-colour screen (depth 24, little-endian pixels, red at bit 16).</summary>
    public static byte[] ServerInit(int width, int height, string name)
    {
        var nameBytes = Encoding.ASCII.GetBytes(name);
        var message = new byte[24 + nameBytes.Length];
        BinaryPrimitives.WriteUInt16BigEndian(message, (ushort)width);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)height);
        message[4] = 32;
        message[5] = 24;
        message[7] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(8), 255);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(10), 255);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(12), 255);
        message[14] = 16;
        message[15] = 8;
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(20), (uint)nameBytes.Length);
        nameBytes.CopyTo(message, 24);
        return message;
    }
}
