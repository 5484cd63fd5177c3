using CsCheck;

namespace StreamSpace.Tests.Unit.Properties;

/// <summary>Generators of YAML-significant text, and of damage done to a valid document.</summary>
internal static class YamlTexts
{
    private static readonly string[] Fragments =
    [
        "a", "Z", "7", " ", "  ", ":", ": ", "#", " #", "-", "- ", "'", "\"", "\\", "\n", "\t", "\r\n", "{", "}", "[", "]", ",",
        "&a", "*a", "!", "!!str", "|", ">", "%", "@", "`", "~", "?", "null", "true", "0x1F", "1e3", "é", "中", "😀", "...", "---",
    ];

    /// <summary>Text made of pieces that mean something to YAML.</summary>
    public static readonly Gen<string> Text = Gen.OneOf(Fragments).Array[0, 8].Select(string.Concat);

    public static readonly Gen<string> NonEmptyText = Gen.OneOf(Fragments).Array[1, 8].Select(string.Concat);

    /// <summary>Damage to a document: 1 to 4 of deleting, inserting or replacing characters, duplicating, swapping or re-indenting lines.</summary>
    public static Gen<string> Damaged(Gen<string> documents) =>
        Gen.Select(documents, Gen.Select(Gen.Int[0, 5], Gen.Int[0, 100_000], Gen.Int[0, 100_000], Text).Array[1, 4], (document, edits) =>
        {
            foreach (var (kind, at, other, text) in edits)
            {
                document = Apply(document, kind, at, other, text);
            }

            return document;
        });

    private static string Apply(string document, int kind, int at, int other, string text)
    {
        var i = document.Length == 0 ? 0 : at % document.Length;
        var lines = document.Split('\n');
        var line = at % lines.Length;
        var otherLine = other % lines.Length;
        switch (kind)
        {
            case 0:
                return document.Remove(i, Math.Min(other % 20, document.Length - i));
            case 1:
                return document.Insert(i, text);
            case 2:
                return document.Length == 0 ? text : document.Remove(i, 1).Insert(i, text);
            case 3:
                return string.Join('\n', lines.Take(line + 1).Append(lines[line]).Concat(lines.Skip(line + 1)));
            case 4:
                (lines[line], lines[otherLine]) = (lines[otherLine], lines[line]);
                return string.Join('\n', lines);
            default:
                lines[line] = other % 2 == 0 ? "  " + lines[line] : lines[line].TrimStart();
                return string.Join('\n', lines);
        }
    }
}
