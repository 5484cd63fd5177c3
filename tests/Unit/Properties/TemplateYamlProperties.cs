using CsCheck;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Features.Catalog;

namespace StreamSpace.Tests.Unit.Properties;

public sealed class TemplateYamlProperties
{
    private static readonly Gen<TemplateDefinition> BuiltIn = Gen.Int[0, BuiltInTemplates.All.Count - 1].Select(i => BuiltInTemplates.All[i]);

    /// <summary>Built-in templates with their free text replaced by text YAML must quote or escape.</summary>
    private static readonly Gen<TemplateDefinition> Definition = Gen.Select(
        BuiltIn, YamlTexts.NonEmptyText, YamlTexts.Text, YamlTexts.Text, Gen.Bool, YamlTexts.NonEmptyText,
        (template, displayName, description, value, local, command) => template with
        {
            DisplayName = displayName,
            Description = description,
            Env = [.. template.Env.Select(e => e with { Value = value })],
            LocalCommand = template.LocalCommand is null || !local ? template.LocalCommand : command,
        });

    [Fact]
    public void A_written_template_reads_back_equal_whatever_its_text_holds()
    {
        Definition.Sample(definition =>
        {
            var read = TemplateYaml.Read(TemplateYaml.Write(definition));

            Assert.True(read.Succeeded, string.Join("\n", read.Problems) + "\n" + TemplateYaml.Write(definition));
            Assert.Equal(definition, Assert.Single(read.Templates).Definition);
        }, iter: 300);
    }

    [Fact]
    public void A_damaged_document_reads_as_templates_or_as_problems_that_each_name_a_line_never_as_an_exception()
    {
        var documents = Gen.Int[1, 3].SelectMany(count => BuiltIn.Array[count].Select(TemplateYaml.WriteAll));
        YamlTexts.Damaged(documents).Sample(text => AssertReadsAsResult(text, TemplateYaml.Read(text)), iter: 400);
    }

    [Fact]
    public void Any_text_reads_as_templates_or_as_problems_that_each_name_a_line()
    {
        YamlTexts.Text.Array[0, 12].Select(pieces => string.Join("\n", pieces)).Sample(text => AssertReadsAsResult(text, TemplateYaml.Read(text)), iter: 1000);
    }

    /// <summary>Bounded work: nesting is refused from the parser's events before the recursive node tree is built.</summary>
    [Fact]
    public void Nesting_deeper_than_the_limit_is_a_problem_on_a_line_not_a_stack_overflow()
    {
        Gen.Select(Gen.Int[YamlFieldReader.MaxDepth + 1, 5_000], Gen.OneOf("[", "{a: ", "- ")).Sample((depth, opener) =>
        {
            var text = string.Concat(Enumerable.Repeat(opener, depth)) + "x";

            var problem = Assert.Single(TemplateYaml.Read(text).Problems);

            Assert.Contains("nest deeper", problem.Message, StringComparison.Ordinal);
            Assert.Equal(1, problem.Line);
        }, iter: 30);
    }

    /// <summary>Lines as YAML counts them: CR, LF and CR LF end a line, and so do NEL, LS and PS.</summary>
    internal static int YamlLines(string text) =>
        1 + text.Replace("\r\n", "\n", StringComparison.Ordinal).Count(c => c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029');

    internal static void AssertReadsAsResult(string text, TemplateReadResult result)
    {
        Assert.Equal(result.Succeeded, result.Templates.Count > 0);
        AssertProblemsNameLines(text, result.Problems);
    }

    internal static void AssertProblemsNameLines(string text, IReadOnlyList<TemplateProblem> problems)
    {
        var lines = YamlLines(text);
        foreach (var problem in problems)
        {
            Assert.InRange(problem.Line, 1, lines + 1);
            Assert.False(string.IsNullOrWhiteSpace(problem.Message), $"a problem without a message at line {problem.Line}");
        }
    }
}
