namespace StreamSpace.Domain.Templates;

/// <summary>The fields of a template as written in its YAML document.</summary>
public sealed record TemplateDefinition(
    string Name,
    string DisplayName,
    string Description,
    string Category,
    string Icon,
    string Image,
    StreamProtocol Protocol,
    int Port,
    long DefaultMemoryBytes,
    int DefaultCpuMillicores,
    IReadOnlyList<string> Capabilities,
    IReadOnlyList<string> Tags,
    string? LocalCommand = null);
