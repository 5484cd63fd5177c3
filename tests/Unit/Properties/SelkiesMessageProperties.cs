using System.IO.Compression;
using System.Text;
using CsCheck;
using StreamSpace.Web.Streaming;

namespace StreamSpace.Tests.Unit.Properties;

public sealed class SelkiesMessageProperties
{
    [Fact]
    public void The_type_of_any_text_is_what_precedes_its_first_comma_or_nothing_when_that_is_longer_than_any_type()
    {
        Gen.Byte.Array[0, 150].Sample(text =>
        {
            var type = SelkiesMessage.Type(text);

            var comma = Array.IndexOf(text, (byte)',');
            var head = comma < 0 ? text : text[..comma];
            Assert.Equal(head.Length > 64 ? string.Empty : Encoding.UTF8.GetString(head), type);
        }, iter: 2000);
    }

    [Fact]
    public void A_gzip_frame_inflates_to_the_text_it_was_made_from()
    {
        Gen.Byte.Array[0, 4000].Sample(text =>
        {
            Assert.Equal(text, SelkiesMessage.Inflate(Gzip(text)));
        }, iter: 300);
    }

    [Fact]
    public void Damaged_or_arbitrary_gzip_frames_inflate_to_something_or_to_null_never_to_an_exception()
    {
        var damaged = Gen.Select(Gen.Byte.Array[0, 200], Gen.Select(Gen.Int[0, 10_000], Gen.Byte).Array[1, 4], Gen.Int[0, 30], (text, overwrites, cut) =>
        {
            var frame = Gzip(text);
            // GZipStream writes nothing at all for an empty text, leaving the tag alone.
            foreach (var (at, value) in frame.Length > 1 ? overwrites : [])
            {
                frame[1 + (at % (frame.Length - 1))] = value;
            }

            return frame[..Math.Max(1, frame.Length - cut)];
        });
        Gen.OneOf(damaged, Gen.Byte.Array[1, 100]).Sample(frame =>
        {
            var inflated = SelkiesMessage.Inflate(frame);

            Assert.True(inflated is null || inflated.Length <= SelkiesMessage.MaxInflated);
        }, iter: 500);
    }

    /// <summary>Bounded work: a gzip bomb is read to one byte past the limit, then refused.</summary>
    [Fact]
    public void A_frame_that_inflates_past_the_limit_is_refused()
    {
        Gen.Int[SelkiesMessage.MaxInflated + 1, SelkiesMessage.MaxInflated + 100_000].Sample(size =>
        {
            Assert.Null(SelkiesMessage.Inflate(Gzip(new byte[size])));
        }, iter: 5);
    }

    internal static byte[] Gzip(byte[] text)
    {
        using var output = new MemoryStream();
        output.WriteByte(SelkiesMessage.GzipTag);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(text);
        }

        return output.ToArray();
    }
}
