using System.Globalization;
using System.Text.RegularExpressions;

namespace StreamSpace.Tests.Integration.Observability;

/// <summary>A Prometheus text exposition, parsed: the families it declares and every sample with its labels.</summary>
public sealed partial class MetricsScrape
{
    private static readonly string[] HistogramSuffixes = ["_bucket", "_sum", "_count"];

    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    public MetricsScrape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = text;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                Families.Add(line.Split(' ')[2]);
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            var match = Sample().Match(line);
            Assert.True(match.Success, $"Not a sample line: {line}");
            var labels = Label().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            _samples.Add((match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
    }

    public string Text { get; }

    /// <summary>Names in <c># TYPE</c> lines: a family exists even before its first labelled sample.</summary>
    public HashSet<string> Families { get; } = [];

    /// <summary>Whether <paramref name="name"/> is exported: a family, or a histogram's <c>_bucket</c>/<c>_sum</c>/<c>_count</c>.</summary>
    public bool Exports(string name) =>
        Families.Contains(name) || _samples.Any(s => s.Name == name)
        || HistogramSuffixes.Any(suffix => name.EndsWith(suffix, StringComparison.Ordinal) && Families.Contains(name[..^suffix.Length]));

    /// <summary>The value of the one sample of <paramref name="name"/> carrying these labels (others may be present), or null.</summary>
    public double? Value(string name, params (string Label, string Value)[] labels)
    {
        var found = _samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).ToList();
        Assert.True(found.Count <= 1, $"{found.Count} samples of {name} match; add labels.");
        return found.Count == 1 ? found[0].Value : null;
    }

    public IEnumerable<Dictionary<string, string>> LabelSets(string name) => _samples.Where(s => s.Name == name).Select(s => s.Labels);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$""")]
    private static partial Regex Sample();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Label();
}
