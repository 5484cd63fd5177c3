using StreamSpace.Domain.Common;

namespace StreamSpace.Tests.Unit.Common;

public sealed class QuantityTests
{
    [Theory]
    [InlineData("2Gi", 2L << 30)]
    [InlineData("512Mi", 512L << 20)]
    [InlineData("1.5Gi", 3L << 29)]
    [InlineData("100Gi", 100L << 30)]
    [InlineData("1G", 1_000_000_000L)]
    [InlineData("1024", 1024L)]
    public void Sizes_parse_as_kubernetes_quantities(string text, long bytes) => Assert.Equal(bytes, Quantity.ParseBytes(text));

    [Theory]
    [InlineData("2 GB")]
    [InlineData("lots")]
    [InlineData("-1Gi")]
    [InlineData("")]
    public void Sizes_that_are_not_quantities_are_refused(string text) => Assert.False(Quantity.TryParseBytes(text, out _));

    [Theory]
    [InlineData("2000m", 2000)]
    [InlineData("2", 2000)]
    [InlineData("0.5", 500)]
    public void Cpu_amounts_parse_to_millicores(string text, int millicores) => Assert.Equal(millicores, Quantity.ParseMillicores(text));

    [Theory]
    [InlineData("30m", 30 * 60)]
    [InlineData("8h", 8 * 3600)]
    [InlineData("1h30m", 90 * 60)]
    [InlineData("90s", 90)]
    [InlineData("1d", 86400)]
    public void Durations_parse(string text, int seconds) => Assert.Equal(TimeSpan.FromSeconds(seconds), Quantity.ParseDuration(text));

    [Theory]
    [InlineData("8")]
    [InlineData("h")]
    [InlineData("5x")]
    public void Durations_without_a_unit_are_refused(string text) => Assert.False(Quantity.TryParseDuration(text, out _));

    [Fact]
    public void Formatting_round_trips()
    {
        Assert.Equal("16Gi", Quantity.FormatBytes(Quantity.ParseBytes("16Gi")));
        Assert.Equal("1536Mi", Quantity.FormatBytes(Quantity.ParseBytes("1.5Gi")));
        Assert.Equal("250m", Quantity.FormatMillicores(250));
        Assert.Equal("2", Quantity.FormatMillicores(2000));
        Assert.Equal("1h30m", Quantity.FormatDuration(TimeSpan.FromMinutes(90)));
    }

    [Theory]
    [InlineData("99999999999999999999999Ti")]
    [InlineData("9999999999999999999999999999999999999999Ki")]
    [InlineData("99999999999999999999")]
    [InlineData("8589934592Gi")]
    public void Sizes_too_large_for_a_long_read_as_its_maximum_instead_of_throwing(string text)
    {
        Assert.True(Quantity.TryParseBytes(text, out var bytes));
        Assert.Equal(long.MaxValue, bytes);
    }

    [Theory]
    [InlineData("99999999")]
    [InlineData("99999999999999999999999999999999")]
    [InlineData("99999999999m")]
    public void Cpu_amounts_too_large_for_an_int_read_as_its_maximum_instead_of_throwing(string text)
    {
        Assert.True(Quantity.TryParseMillicores(text, out var millicores));
        Assert.Equal(int.MaxValue, millicores);
    }

    [Theory]
    [InlineData("99999999999999999999999d")]
    [InlineData("9999999999h")]
    [InlineData("99999999999999999999999999999999s")]
    [InlineData("10675199d10675199d")]
    public void Durations_too_long_for_a_timespan_read_as_its_maximum_instead_of_throwing(string text)
    {
        Assert.True(Quantity.TryParseDuration(text, out var duration));
        Assert.True(duration > QuantityLimits.MaxDuration);
    }

    [Fact]
    public void A_long_duration_still_adds_up_exactly()
    {
        Assert.True(Quantity.TryParseDuration("99999999h", out var duration));
        Assert.Equal(TimeSpan.FromHours(99999999), duration);
    }

    [Theory]
    [InlineData(256L << 20, "256 MiB")]
    [InlineData((23L << 30) + (512L << 20), "23.5 GiB")]
    [InlineData(24683548L << 10, "23.5 GiB")]
    [InlineData(512, "512 B")]
    public void Readable_sizes_use_the_largest_unit_with_one_decimal(long bytes, string expected) =>
        Assert.Equal(expected, Quantity.FormatReadable(bytes));
}
