namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>The templates in a YAML text, or the problems that keep all of them from being used.</summary>
public sealed record TemplateReadResult(IReadOnlyList<ParsedTemplate> Templates, IReadOnlyList<TemplateProblem> Problems)
{
    public bool Succeeded => Problems.Count == 0;

    public static TemplateReadResult Failed(params TemplateProblem[] problems) => new([], problems);
}
