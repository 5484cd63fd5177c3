using StreamSpace.Domain.Templates;

namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>
/// The global catalog that ships with StreamSpace: the YAML files in <c>Features/Catalog/Templates</c>, embedded in this
/// assembly. <c>local.yaml</c> comes first, so <c>All[0]</c> is the terminal and <c>All[1]</c> Firefox ESR, the two templates
/// the local runtime runs; the other files follow in name order.
/// </summary>
public static class BuiltInTemplates
{
    private const string ResourcePrefix = "StreamSpace.Catalog.";
    private const string LocalFile = "local.yaml";

    private static readonly Lazy<IReadOnlyList<TemplateDefinition>> Loaded = new(Load);

    public static IReadOnlyList<TemplateDefinition> All => Loaded.Value;

    public static TemplateDefinition Named(string name) =>
        All.SingleOrDefault(t => t.Name == name) ?? throw new KeyNotFoundException($"No built-in template is named \"{name}\".");

    /// <summary>The data files by name, for tests and tools that want to read them as text.</summary>
    public static IReadOnlyDictionary<string, string> Files()
    {
        var assembly = typeof(BuiltInTemplates).Assembly;
        var files = new SortedDictionary<string, string>(Comparer<string>.Create(CompareFiles));
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            files.Add(resource[ResourcePrefix.Length..], reader.ReadToEnd());
        }

        return files;
    }

    private static List<TemplateDefinition> Load()
    {
        var all = new List<TemplateDefinition>();
        var problems = new List<string>();
        foreach (var (file, text) in Files())
        {
            var result = TemplateYaml.Read(text);
            problems.AddRange(result.Problems.Select(p => $"{file} {p}"));
            foreach (var template in result.Templates)
            {
                if (all.Any(t => t.Name == template.Definition.Name))
                {
                    problems.Add($"{file} line {template.NameLine}: metadata.name: \"{template.Definition.Name}\" is already defined in another file");
                }

                all.Add(template.Definition);
            }
        }

        return problems.Count == 0
            ? all
            : throw new InvalidOperationException("The built-in catalog is invalid:\n" + string.Join('\n', problems));
    }

    private static int CompareFiles(string a, string b) =>
        (a == LocalFile, b == LocalFile) switch
        {
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(a, b),
        };
}
