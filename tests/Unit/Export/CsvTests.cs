using StreamSpace.Infrastructure.Features.Export;

namespace StreamSpace.Tests.Unit.Export;

public sealed class CsvTests
{
    [Fact]
    public void Plain_cells_are_written_as_they_are_and_a_line_ends_with_crlf() =>
        Assert.Equal("session.launch,ada@acme.test,\r\n", Csv.Line("session.launch", "ada@acme.test", null));

    [Theory]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    public void Commas_quotes_and_line_breaks_are_quoted(string value, string expected) =>
        Assert.Equal(expected, Csv.Cell(value));

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    public void Cells_a_spreadsheet_would_run_as_formulas_get_a_leading_apostrophe(string value, string expected) =>
        Assert.Equal(expected, Csv.Cell(value));

    [Fact]
    public void A_formula_character_later_in_the_cell_is_left_alone() =>
        Assert.Equal("a=b", Csv.Cell("a=b"));
}
