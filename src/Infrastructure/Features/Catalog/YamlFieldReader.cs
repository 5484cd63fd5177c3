using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>
/// Walks one document of the product's YAML (Template, User) field by field, collecting every problem with its field's
/// path and line instead of stopping at the first; the readers of each kind build on it.
/// </summary>
public abstract partial class YamlFieldReader(List<TemplateProblem> problems)
{
    /// <summary>The most characters one import reads: hundreds of templates, far below what would tie up the process.</summary>
    public const int MaxLength = 256 * 1024;

    /// <summary>How deep mappings and lists may nest; the product's documents need four, and the node tree loads recursively.</summary>
    public const int MaxDepth = 32;

    private static readonly string[] TopFields = ["apiVersion", "kind", "metadata", "spec"];

    protected List<TemplateProblem> Problems { get; } = problems;

    /// <summary>
    /// The top of one of the product's documents: <c>apiVersion</c> and <c>kind</c> checked, <c>metadata</c> and <c>spec</c>
    /// returned (each null when missing or not a mapping, with its problem added); null when the document is no mapping.
    /// </summary>
    protected (YamlMappingNode? Metadata, YamlMappingNode? Spec)? ReadTop(YamlNode root, string apiVersion, string kind)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (root is not YamlMappingNode top)
        {
            Problem(root, null, $"a {kind} document must be a mapping with apiVersion, kind, metadata and spec");
            return null;
        }

        var fields = Fields(top, null, TopFields);
        var actualVersion = Text(fields, "apiVersion", top, required: true);
        if (actualVersion is not null && actualVersion != apiVersion)
        {
            Problem(fields["apiVersion"], "apiVersion", $"must be {apiVersion}, not \"{actualVersion}\"");
        }

        var actualKind = Text(fields, "kind", top, required: true);
        if (actualKind is not null && actualKind != kind)
        {
            Problem(fields["kind"], "kind", $"must be {kind}, not \"{actualKind}\"");
        }

        return (Mapping(fields, "metadata", top, required: true), Mapping(fields, "spec", top, required: true));
    }

    /// <summary>The documents of <paramref name="text"/>, or null when it is not YAML (see <see cref="SyntaxProblem"/>).</summary>
    public static YamlStream? Load(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (BoundsProblem(text) is not null)
        {
            return null;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
            return stream;
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Where and why <paramref name="text"/> cannot be read as YAML.</summary>
    public static TemplateProblem SyntaxProblem(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (BoundsProblem(text) is { } bounds)
        {
            return bounds;
        }

        try
        {
            new YamlStream().Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            return new TemplateProblem((int)e.Start.Line, null, $"YAML syntax error: {PositionPrefix().Replace(e.Message, string.Empty)}");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet gives up this way, without a position, on some unclosed flow collections (InvalidOperationException),
            // a tag that is no URI such as "!!str]" and some anchors inside a scalar (ArgumentException; found by fuzzing).
            return new TemplateProblem(LastReadableLine(text), null, "YAML syntax error: the text cannot be read past this line");
        }

        return new TemplateProblem(1, null, "YAML syntax error");
    }

    /// <summary>The mapping's fields by name; any name not in <paramref name="known"/> is a problem.</summary>
    protected Dictionary<string, YamlNode> Fields(YamlMappingNode mapping, string? path, string[] known)
    {
        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? string.Empty;
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                Problem(key, path is null ? name : $"{path}.{name}", "unknown field");
                continue;
            }

            fields[name] = value;
        }

        return fields;
    }

    protected string? Text(
        Dictionary<string, YamlNode> fields, string name, YamlMappingNode parent, bool required = false, string? path = null, int maxLength = int.MaxValue)
    {
        path ??= name;
        if (!fields.TryGetValue(name, out var node) || node is YamlScalarNode { Value: null or "" or "~", Style: ScalarStyle.Plain })
        {
            if (required)
            {
                Problem(node ?? parent, path, "is required");
            }

            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            Problem(node, path, "must be a single value, not a list or mapping");
            return null;
        }

        var value = scalar.Value ?? string.Empty;
        if (value.Length > maxLength)
        {
            Problem(node, path, $"is longer than {maxLength} characters");
            return null;
        }

        return value;
    }

    protected YamlMappingNode? Mapping(Dictionary<string, YamlNode> fields, string name, YamlMappingNode parent, bool required = false, string? path = null)
    {
        path ??= name;
        if (!fields.TryGetValue(name, out var node))
        {
            if (required)
            {
                Problem(parent, path, "is required");
            }

            return null;
        }

        if (node is not YamlMappingNode mapping)
        {
            Problem(node, path, "must be a mapping");
            return null;
        }

        return mapping;
    }

    protected List<YamlNode>? Items(Dictionary<string, YamlNode> fields, string name, string path)
    {
        if (!fields.TryGetValue(name, out var node))
        {
            return null;
        }

        if (node is not YamlSequenceNode sequence)
        {
            Problem(node, path, "must be a list");
            return null;
        }

        return [.. sequence.Children];
    }

    protected void Problem(YamlNode node, string? field, string message)
    {
        ArgumentNullException.ThrowIfNull(node);
        Problems.Add(new TemplateProblem((int)node.Start.Line, field, message));
    }

    /// <summary>
    /// Whether <paramref name="text"/> is too long or nests too deep, found from the parser's events (which are read in a
    /// loop, not recursively) before anything builds the node tree, whose recursion a 100,000-deep list would overflow.
    /// </summary>
    public static TemplateProblem? BoundsProblem(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            return new TemplateProblem(1, null, $"the text is longer than {MaxLength / 1024} KiB");
        }

        var parser = new Parser(new StringReader(text));
        var depth = 0;
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case MappingStart or SequenceStart when ++depth > MaxDepth:
                        return new TemplateProblem((int)parser.Current.Start.Line, null, $"lists and mappings nest deeper than {MaxDepth} levels");
                    case MappingEnd or SequenceEnd:
                        depth--;
                        break;
                }
            }
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException)
        {
            // A syntax error: the loader reports it with its position.
        }

        return null;
    }

    private static int LastReadableLine(string text)
    {
        var parser = new Parser(new StringReader(text));
        var line = 1;
        try
        {
            // Ends (of block collections, the document, the stream) sit on the next token, past the last line at the end of the text.
            while (parser.MoveNext())
            {
                if (parser.Current is not (MappingEnd or SequenceEnd or DocumentEnd or StreamEnd))
                {
                    line = (int)parser.Current!.End.Line;
                }
            }
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException)
        {
            // Expected: this is how far the text can be read.
        }

        return line;
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PositionPrefix();
}
