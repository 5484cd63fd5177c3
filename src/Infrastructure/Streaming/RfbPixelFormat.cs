using System.Buffers.Binary;

namespace StreamSpace.Infrastructure.Streaming;

/// <summary>How the session encodes pixels for one viewer: ServerInit's format until the viewer sends SetPixelFormat.</summary>
public sealed record RfbPixelFormat(int BitsPerPixel, int Depth, bool TrueColour, int RedMax, int GreenMax, int BlueMax)
{
    public const int Length = 16;

    public int BytesPerPixel => BitsPerPixel / 8;

    /// <summary>Tight's TPIXEL: three bytes for 24-bit true colour carried in 32 bits, otherwise a whole pixel.</summary>
    public int TightPixelBytes =>
        TrueColour && BitsPerPixel == 32 && Depth == 24 && RedMax == 255 && GreenMax == 255 && BlueMax == 255 ? 3 : BytesPerPixel;

    /// <summary>Reads the 16-byte PIXEL_FORMAT structure of ServerInit and SetPixelFormat.</summary>
    public static RfbPixelFormat Read(ReadOnlySpan<byte> format)
    {
        if (format.Length < Length)
        {
            throw new RfbProtocolException($"A pixel format is {Length} bytes, not {format.Length}.");
        }

        return new RfbPixelFormat(
            format[0],
            format[1],
            format[3] != 0,
            BinaryPrimitives.ReadUInt16BigEndian(format[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(format[6..]),
            BinaryPrimitives.ReadUInt16BigEndian(format[8..]));
    }
}
