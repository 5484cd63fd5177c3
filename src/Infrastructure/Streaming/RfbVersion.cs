using System.Globalization;
using System.Text;

namespace StreamSpace.Infrastructure.Streaming;

/// <summary>The 12-byte <c>RFB xxx.yyy\n</c> banner both sides exchange first.</summary>
internal static class RfbVersion
{
    public const int Length = 12;

    public static ReadOnlySpan<byte> Version38 => "RFB 003.008\n"u8;

    public static bool TryParse(ReadOnlySpan<byte> banner, out int major, out int minor)
    {
        major = 0;
        minor = 0;
        return banner.Length == Length
            && banner.StartsWith("RFB "u8)
            && banner[7] == (byte)'.'
            && banner[11] == (byte)'\n'
            && int.TryParse(banner[4..7], NumberStyles.None, CultureInfo.InvariantCulture, out major)
            && int.TryParse(banner[8..11], NumberStyles.None, CultureInfo.InvariantCulture, out minor);
    }

    /// <summary>A printable form of a banner that did not parse, for the error message.</summary>
    public static string Describe(ReadOnlySpan<byte> banner) =>
        new(Encoding.ASCII.GetString(banner).Select(c => char.IsControl(c) || c > '~' ? '?' : c).ToArray());
}
