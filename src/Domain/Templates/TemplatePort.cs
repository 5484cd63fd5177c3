namespace StreamSpace.Domain.Templates;

/// <summary>A port the template's image listens on (<c>spec.ports[]</c>); the first one is the one streamed.</summary>
public sealed record TemplatePort(string Name, int ContainerPort);
