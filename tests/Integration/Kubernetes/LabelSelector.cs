using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace StreamSpace.Tests.Integration.Kubernetes;

/// <summary>Kubernetes label selector syntax (<c>a=b,c!=d,e,!f,g in (x,y),h notin (z)</c>), as the fake API server evaluates it.</summary>
internal static partial class LabelSelector
{
    public static bool Matches(string? selector, JsonNode? labels)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return true;
        }

        var map = (labels as JsonObject)?.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>()) ?? [];
        foreach (Match term in Terms().Matches(selector))
        {
            var text = term.Value.Trim();
            if (SetTerm().Match(text) is { Success: true } set)
            {
                var values = set.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                var has = map.TryGetValue(set.Groups["key"].Value, out var value) && values.Contains(value);
                if (set.Groups["op"].Value == "in" ? !has : has)
                {
                    return false;
                }
            }
            else if (text.Contains("!=", StringComparison.Ordinal))
            {
                var (key, value) = Split(text, "!=");
                if (map.TryGetValue(key, out var actual) && actual == value)
                {
                    return false;
                }
            }
            else if (text.Contains('=', StringComparison.Ordinal))
            {
                var (key, value) = Split(text.Replace("==", "=", StringComparison.Ordinal), "=");
                if (!map.TryGetValue(key, out var actual) || actual != value)
                {
                    return false;
                }
            }
            else if (text.StartsWith('!'))
            {
                if (map.ContainsKey(text[1..]))
                {
                    return false;
                }
            }
            else if (!map.ContainsKey(text))
            {
                return false;
            }
        }

        return true;
    }

    private static (string Key, string Value) Split(string text, string op)
    {
        var at = text.IndexOf(op, StringComparison.Ordinal);
        return (text[..at].Trim(), text[(at + op.Length)..].Trim());
    }

    // Commas inside "in (a,b)" do not separate terms.
    [GeneratedRegex(@"[^,(]+(\([^)]*\))?")]
    private static partial Regex Terms();

    [GeneratedRegex(@"^(?<key>\S+)\s+(?<op>in|notin)\s+\((?<values>[^)]*)\)$")]
    private static partial Regex SetTerm();
}
