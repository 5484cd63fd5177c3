using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>
/// Free text for the Template and User writers that reads back as written: a plain scalar loses its leading and trailing
/// blanks, turns "\r\n" into "\n", and "~" reads as no value (found by the property tests, tests/Unit/Properties).
/// </summary>
internal static class YamlScalars
{
    public static YamlScalarNode Exact(string value) =>
        new(value) { Style = ReadsBackPlain(value) ? ScalarStyle.Any : ScalarStyle.DoubleQuoted };

    private static bool ReadsBackPlain(string value) =>
        value.Length > 0 && value != "~" && !char.IsWhiteSpace(value[0]) && !char.IsWhiteSpace(value[^1]) && !value.Any(char.IsControl);
}
