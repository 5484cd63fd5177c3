namespace StreamSpace.Domain.Templates;

/// <summary>An environment variable set in the template's container (<c>spec.env[]</c>).</summary>
public sealed record TemplateEnvVar(string Name, string Value);
