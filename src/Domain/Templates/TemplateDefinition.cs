namespace StreamSpace.Domain.Templates;

/// <summary>The fields of a template as written in its YAML document (see docs/templates.md).</summary>
public sealed record TemplateDefinition(
    string Name,
    string DisplayName,
    string Description,
    string Category,
    string Icon,
    string Image,
    StreamProtocol Protocol,
    IReadOnlyList<TemplatePort> Ports,
    long DefaultMemoryBytes,
    int DefaultCpuMillicores,
    IReadOnlyList<TemplateEnvVar> Env,
    IReadOnlyList<string> Capabilities,
    IReadOnlyList<string> Tags,
    string? LocalCommand = null)
{
    /// <summary>The port the portal streams: the first one listed, or 0 when there is none.</summary>
    public int Port => Ports.Count > 0 ? Ports[0].ContainerPort : 0;

    /// <summary>Value equality over the lists' contents too, so that "unchanged" can be told without a database.</summary>
    public bool Equals(TemplateDefinition? other) =>
        other is not null
        && Name == other.Name && DisplayName == other.DisplayName && Description == other.Description
        && Category == other.Category && Icon == other.Icon && Image == other.Image && Protocol == other.Protocol
        && DefaultMemoryBytes == other.DefaultMemoryBytes && DefaultCpuMillicores == other.DefaultCpuMillicores
        && LocalCommand == other.LocalCommand
        && Ports.SequenceEqual(other.Ports) && Env.SequenceEqual(other.Env)
        && Capabilities.SequenceEqual(other.Capabilities) && Tags.SequenceEqual(other.Tags);

    public override int GetHashCode() => HashCode.Combine(Name, Image, DisplayName);
}
