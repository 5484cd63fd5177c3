using System.Buffers.Binary;
using StreamSpace.Infrastructure.Streaming;

namespace StreamSpace.Tests.Unit.Security;

public sealed class GatewayClipboardMemoryTests
{
    private const int Viewers = 100;
    private const int Sent = 1024;
    private const long MaxGrowth = 48L * 1024 * 1024;

    [Fact]
    public void A_declared_clipboard_length_reserves_nothing_beyond_the_bytes_that_arrived()
    {
        var framers = Enumerable.Range(0, Viewers).Select(_ => new RfbClientMessageFramer(new StreamPolicy(ClipboardIn: true))).ToList();
        var header = new byte[8];
        header[0] = 6;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), RfbClientMessageFramer.DefaultMaxClipboardBytes);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        foreach (var framer in framers)
        {
            ReadOnlySpan<byte> first = header;
            Assert.False(framer.TryRead(ref first, out _));
            ReadOnlySpan<byte> some = new byte[Sent];
            Assert.False(framer.TryRead(ref some, out _));
        }

        var growth = GC.GetTotalMemory(forceFullCollection: true) - before;
        Assert.True(growth < MaxGrowth, $"{Viewers} half-sent pastes hold {growth / (1024 * 1024)} MiB");
        framers.ForEach(f => f.Dispose());
    }

    [Fact]
    public void A_clipboard_declared_larger_than_the_limit_is_refused_with_a_reason()
    {
        using var framer = new RfbClientMessageFramer(new StreamPolicy(ClipboardIn: true));
        var header = new byte[8];
        header[0] = 6;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 10 * 1024 * 1024);

        var refused = Assert.Throws<RfbProtocolException>(() =>
        {
            ReadOnlySpan<byte> input = header;
            framer.TryRead(ref input, out _);
        });

        Assert.Equal("A clipboard of 10485760 bytes is larger than the 1048576 bytes allowed.", refused.Message);
    }
}
