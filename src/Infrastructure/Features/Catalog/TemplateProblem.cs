namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>Why a Template document was refused: the line (1-based), the field's path such as <c>spec.image</c>, and what is wrong.</summary>
public sealed record TemplateProblem(int Line, string? Field, string Message)
{
    public override string ToString() => Field is null ? $"line {Line}: {Message}" : $"line {Line}: {Field}: {Message}";
}
