using StreamSpace.Infrastructure.Features.Catalog;

namespace StreamSpace.Infrastructure.Features.Members;

/// <summary>
/// The User documents in a YAML text, or the problems that keep all of them from being used. <see cref="Mentioned"/> holds every
/// document's name and tier even when it has problems, so the member and the tier can be checked too and all problems told at once.
/// </summary>
public sealed record UserReadResult(IReadOnlyList<ParsedUser> Users, IReadOnlyList<TemplateProblem> Problems)
{
    public IReadOnlyList<ParsedUser> Mentioned { get; init; } = Users;

    public bool Succeeded => Problems.Count == 0;

    public static UserReadResult Failed(params TemplateProblem[] problems) => new([], problems);
}
