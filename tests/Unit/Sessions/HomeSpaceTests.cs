using StreamSpace.Domain.Sessions;

namespace StreamSpace.Tests.Unit.Sessions;

public sealed class HomeSpaceTests
{
    private const long MiB = 1L << 20;

    [Theory]
    [InlineData(0, 10 * 1024 * MiB, true)]
    [InlineData(MiB - 1, 10 * 1024 * MiB, true)]
    [InlineData(MiB, 10 * 1024 * MiB, false)]
    [InlineData(40 * 1024, 2 * MiB, true)] // a 2 MiB home is full below 2 % of it (41 943 bytes)
    [InlineData(42 * 1024, 2 * MiB, false)]
    [InlineData(0, 0, false)] // a filesystem that reports no size says nothing
    public void A_home_is_full_when_less_than_1_MiB_or_2_percent_of_a_small_filesystem_is_left(long available, long total, bool full) =>
        Assert.Equal(full, new HomeSpace(available, total).IsFull);
}
