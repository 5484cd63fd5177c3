using System.Text.RegularExpressions;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Unit.Catalog;

public sealed partial class ApplicationsDocumentTests
{
    [Fact]
    public void Docs_applications_md_lists_exactly_the_shipped_catalog()
    {
        var expected = ApplicationsDocument.Render(BuiltInTemplates.All);
        if (Environment.GetEnvironmentVariable(ApplicationsDocument.RegenerateVariable) == "1")
        {
            File.WriteAllText(ApplicationsDocument.Path, expected);
        }

        var actual = File.Exists(ApplicationsDocument.Path) ? File.ReadAllText(ApplicationsDocument.Path) : "";
        Assert.True(
            actual == expected,
            $"docs/applications.md is out of date with the catalog YAML. Regenerate it from the repository root:\n  {ApplicationsDocument.RegenerateCommand}");
    }

    [Fact]
    public void Every_template_count_in_the_readme_and_the_docs_is_the_catalog_s_true_count()
    {
        var count = BuiltInTemplates.All.Count;
        var mentions = Documents()
            .SelectMany(file => TemplateCount().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Text: m.Value, Number: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))))
            .ToList();

        Assert.Contains(mentions, m => m.File == "README.md");
        Assert.Empty(mentions.Where(m => m.Number != count).Select(m => $"{m.File}: \"{m.Text}\" (the catalog holds {count})"));
    }

    [Fact]
    public void The_count_check_catches_a_stale_number() =>
        Assert.Equal("200", TemplateCount().Match("The catalog holds about 200 applications: browsers").Groups[1].Value);

    /// <summary>README and docs/, without performance.md: its numbers are those of the catalog it was measured with.</summary>
    private static IEnumerable<string> Documents() =>
        Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md")
            .Where(f => Path.GetFileName(f) is not "performance.md")
            .Prepend(Path.Combine(Repository.Root, "README.md"));

    /// <summary>"202 templates", "202 applications", "202 shipped templates", "all 202 cards".</summary>
    [GeneratedRegex(@"\b(\d{3})\+? (?:shipped |built-in |pre-built |LinuxServer\.io )?(?:templates|applications|apps|cards)\b")]
    private static partial Regex TemplateCount();
}
