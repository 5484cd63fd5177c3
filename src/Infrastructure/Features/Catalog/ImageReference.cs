using System.Text.RegularExpressions;

namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>Container image references as the OCI distribution grammar spells them: <c>[registry[:port]/]path[:tag][@digest]</c>.</summary>
public static partial class ImageReference
{
    public const int MaxLength = 255;

    public static bool IsWellFormed(string reference) =>
        reference.Length <= MaxLength && Grammar().IsMatch(reference);

    [GeneratedRegex(
        @"^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?"
        + @"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
        + @"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
        + @"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Grammar();
}
