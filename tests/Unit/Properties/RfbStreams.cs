using CsCheck;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Unit.Properties;

/// <summary>Generators of what a viewer sends: well-formed client messages, streams of them, and damaged streams.</summary>
internal static class RfbStreams
{
    /// <summary>Encodings a viewer asks for, with the ones the framer removes (ExtendedMouseButtons, unmeasurable ones).</summary>
    public static readonly Gen<int> Encoding = Gen.OneOf(
        Gen.OneOf(0, 1, 2, 5, 7, 16, 21, -223, -239, -258, -308, -309, -312, -313, -316, -1000),
        Gen.Int);

    public static readonly Gen<byte[]> Message = Gen.OneOf(
        Gen.Const(0).Select(_ => RfbMessages.SetPixelFormat()),
        Encoding.Array[0, 8].Select(RfbMessages.SetEncodings),
        Gen.Select(Gen.Bool, Gen.UShort, Gen.UShort, (incremental, w, h) => RfbMessages.FramebufferUpdateRequest(incremental, 0, 0, w, h)),
        Gen.Select(Gen.Bool, Gen.UInt, RfbMessages.KeyEvent),
        Gen.Select(Gen.Byte, Gen.UShort, Gen.UShort, (buttons, x, y) => RfbMessages.PointerEvent(buttons, x, y)),
        Gen.Byte.Array[0, 40].Select(text => RfbMessages.ClientCutText(text, extended: false)),
        Gen.Select(Gen.OneOf(0x01000001u, 0x02000001u, 0x04000001u, 0x08000001u, 0x10000001u, 0x11000001u), Gen.Byte.Array[0, 24], RfbMessages.ExtendedClipboard),
        Gen.Select(Gen.Bool, Gen.UShort, Gen.UShort, (enable, w, h) => RfbMessages.EnableContinuousUpdates(enable, w, h)),
        Gen.Select(Gen.UInt, Gen.Byte.Array[0, 64], RfbMessages.ClientFence),
        Gen.Select(Gen.Byte, Gen.Byte, RfbMessages.Xvp),
        Gen.Select(Gen.UShort, Gen.UShort, Gen.Int[0, 3], (w, h, screens) => RfbMessages.SetDesktopSize(w, h, screens)),
        Gen.Select(Gen.Bool, Gen.UInt, Gen.UInt, RfbMessages.QemuExtendedKeyEvent));

    public static readonly Gen<byte[][]> Messages = Message.Array[0, 12];

    /// <summary>A stream of whole messages, then some bytes overwritten, cut off or appended; or plain noise.</summary>
    public static readonly Gen<byte[]> Damaged = Gen.OneOf(
        Gen.Select(Messages, Gen.Select(Gen.Int[0, 1000], Gen.Byte).Array[0, 4], Gen.Byte.Array[0, 12], Gen.Int[0, 16], (messages, overwrites, tail, cut) =>
        {
            var stream = messages.SelectMany(m => m).Concat(tail).ToArray();
            foreach (var (at, value) in overwrites)
            {
                if (stream.Length > 0)
                {
                    stream[at % stream.Length] = value;
                }
            }

            return stream[..Math.Max(0, stream.Length - cut)];
        }),
        Gen.Byte.Array[0, 200]);

    /// <summary>Where to cut a stream into chunks: chunk sizes, used in turn.</summary>
    public static readonly Gen<int[]> Chunking = Gen.Int[1, 40].Array[1, 8];

    public static IEnumerable<byte[]> Chunks(byte[] stream, int[] sizes)
    {
        for (int offset = 0, i = 0; offset < stream.Length; i++)
        {
            var size = Math.Min(sizes[i % sizes.Length], stream.Length - offset);
            yield return stream[offset..(offset + size)];
            offset += size;
        }
    }
}
