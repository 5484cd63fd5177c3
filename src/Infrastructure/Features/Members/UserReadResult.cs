using StreamSpace.Infrastructure.Features.Catalog;

namespace StreamSpace.Infrastructure.Features.Members;

/// <summary>The User documents in a YAML text, or the problems that keep all of them from being used.</summary>
public sealed record UserReadResult(IReadOnlyList<ParsedUser> Users, IReadOnlyList<TemplateProblem> Problems)
{
    public bool Succeeded => Problems.Count == 0;

    public static UserReadResult Failed(params TemplateProblem[] problems) => new([], problems);
}
