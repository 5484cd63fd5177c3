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
}
