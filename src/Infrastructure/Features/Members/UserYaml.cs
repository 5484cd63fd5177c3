using System.Globalization;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Quotas;
using StreamSpace.Infrastructure.Features.Catalog;
using YamlDotNet.RepresentationModel;

namespace StreamSpace.Infrastructure.Features.Members;

/// <summary>
/// Reads and writes the product README's User documents (<c>apiVersion: stream.space/v1alpha1</c>, <c>kind: User</c>,
/// <c>spec.tier</c>, <c>spec.quotas</c>): a member's tier and their per-member quota overrides.
/// </summary>
public static class UserYaml
{
    public const string ApiVersion = TemplateYaml.ApiVersion;
    public const string Kind = "User";

    private static readonly string[] MetadataFields = ["name"];
    private static readonly string[] SpecFields = ["tier", "quotas"];
    private static readonly string[] QuotaFields = ["memory", "maxSessions", "storage", "maxSessionDuration"];

    public static UserReadResult Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (YamlFieldReader.Load(text) is not { } stream)
        {
            return UserReadResult.Failed(YamlFieldReader.SyntaxProblem(text));
        }

        if (stream.Documents.Count == 0)
        {
            return UserReadResult.Failed(new TemplateProblem(1, null, "the text contains no User document"));
        }

        var problems = new List<TemplateProblem>();
        var users = new List<ParsedUser>();
        var mentioned = new List<ParsedUser>();
        foreach (var document in stream.Documents)
        {
            var found = problems.Count;
            if (new DocumentReader(problems).Read(document.RootNode) is not { } user)
            {
                continue;
            }

            mentioned.Add(user);
            if (problems.Count == found)
            {
                if (users.Any(u => string.Equals(u.Name, user.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    problems.Add(new TemplateProblem(user.NameLine, "metadata.name", $"\"{user.Name}\" appears more than once in this text"));
                }

                users.Add(user);
            }
        }

        return problems.Count == 0 ? new UserReadResult(users, []) : new UserReadResult([], problems) { Mentioned = mentioned };
    }

    /// <summary>One document; only the overrides the member has are written under <c>spec.quotas</c>.</summary>
    public static string Write(string name, string tier, QuotaOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var spec = new YamlMappingNode { { "tier", YamlScalars.Exact(tier) } };
        var quotas = new YamlMappingNode();
        if (overrides.MemoryBytes is { } memory)
        {
            quotas.Add("memory", Quantity.FormatBytes(memory));
        }

        if (overrides.MaxSessions is { } sessions)
        {
            quotas.Add("maxSessions", sessions.ToString(CultureInfo.InvariantCulture));
        }

        if (overrides.StorageBytes is { } storage)
        {
            quotas.Add("storage", Quantity.FormatBytes(storage));
        }

        if (overrides.MaxSessionDuration is { } duration)
        {
            quotas.Add("maxSessionDuration", Quantity.FormatDuration(duration));
        }

        if (quotas.Children.Count > 0)
        {
            spec.Add("quotas", quotas);
        }

        var root = new YamlMappingNode
        {
            { "apiVersion", ApiVersion },
            { "kind", Kind },
            { "metadata", new YamlMappingNode { { "name", YamlScalars.Exact(name) } } },
            { "spec", spec },
        };
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    /// <summary>Several documents, separated by <c>---</c>.</summary>
    public static string WriteAll(IEnumerable<string> documents) => string.Join("---\n", documents);

    private sealed class DocumentReader(List<TemplateProblem> problems) : YamlFieldReader(problems)
    {
        /// <summary>The document's name, tier and the overrides that read, or null without a name; its problems go to the list.</summary>
        public ParsedUser? Read(YamlNode root)
        {
            if (ReadTop(root, ApiVersion, Kind) is not { } top)
            {
                return null;
            }

            var (metadata, spec) = top;
            var metadataFields = metadata is null ? null : Fields(metadata, "metadata", MetadataFields);
            var name = metadataFields is null ? null : Text(metadataFields, "name", metadata!, required: true, path: "metadata.name");
            var specFields = spec is null ? null : Fields(spec, "spec", SpecFields);
            var tier = specFields is null ? null : Text(specFields, "tier", spec!, path: "spec.tier");
            var overrides = specFields is null ? QuotaOverrides.None : ReadQuotas(specFields, spec!);
            if (name is null)
            {
                return null;
            }

            return new ParsedUser(
                name,
                (int)metadataFields!["name"].Start.Line,
                tier,
                tier is null ? (int)(spec ?? root).Start.Line : (int)specFields!["tier"].Start.Line,
                overrides);
        }

        private QuotaOverrides ReadQuotas(Dictionary<string, YamlNode> spec, YamlMappingNode specNode)
        {
            var quotas = Mapping(spec, "quotas", specNode, path: "spec.quotas");
            if (quotas is null)
            {
                return QuotaOverrides.None;
            }

            var fields = Fields(quotas, "spec.quotas", QuotaFields);
            var memory = Bytes(fields, quotas, "memory", "512Mi or 16Gi", QuantityLimits.MaxMemoryBytes);

            int? sessions = null;
            if (Text(fields, "maxSessions", quotas, path: "spec.quotas.maxSessions") is { } sessionsText)
            {
                sessions = int.TryParse(sessionsText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count <= QuantityLimits.MaxSessions
                    ? count
                    : Refuse<int>(fields["maxSessions"], "spec.quotas.maxSessions", $"\"{sessionsText}\" is not a whole number of sessions from 0 to {QuantityLimits.MaxSessions}");
            }

            var storage = Bytes(fields, quotas, "storage", "10Gi or 100Gi", QuantityLimits.MaxStorageBytes);

            TimeSpan? duration = null;
            if (Text(fields, "maxSessionDuration", quotas, path: "spec.quotas.maxSessionDuration") is { } durationText)
            {
                duration = !Quantity.TryParseDuration(durationText, out var span) || span <= TimeSpan.Zero
                    ? Refuse<TimeSpan>(fields["maxSessionDuration"], "spec.quotas.maxSessionDuration", $"\"{durationText}\" is not a duration such as 30m or 8h")
                    : span > QuantityLimits.MaxDuration ? Refuse<TimeSpan>(fields["maxSessionDuration"], "spec.quotas.maxSessionDuration", TooLarge(durationText, Quantity.FormatDuration(QuantityLimits.MaxDuration)))
                    : span;
            }

            return new QuotaOverrides(memory, sessions, storage, duration);
        }

        // A positive size no larger than the maximum; null when absent or refused (the problem is recorded).
        private long? Bytes(Dictionary<string, YamlNode> fields, YamlMappingNode quotas, string key, string examples, long maximum)
        {
            var path = "spec.quotas." + key;
            if (Text(fields, key, quotas, path: path) is not { } text)
            {
                return null;
            }

            return !Quantity.TryParseBytes(text, out var bytes) || bytes <= 0 ? Refuse<long>(fields[key], path, $"\"{text}\" is not a size such as {examples}")
                : bytes > maximum ? Refuse<long>(fields[key], path, TooLarge(text, Quantity.FormatBytes(maximum)))
                : bytes;
        }

        // YAML problems read as clauses (no full stop), unlike the forms' sentences.
        private static string TooLarge(string text, string maximum) => QuantityLimits.TooLarge(text, maximum).TrimEnd('.');

        private T? Refuse<T>(YamlNode node, string field, string message)
            where T : struct
        {
            Problem(node, field, message);
            return null;
        }
    }
}
