using System.Globalization;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Templates;
using YamlDotNet.RepresentationModel;

namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>
/// A template as typed into the admin form, every field as text. It becomes a Template document (<see cref="ToYaml"/>) so
/// the form and an import are validated by the same reader, with the same messages.
/// </summary>
public sealed class TemplateDraft
{
    public string? Name { get; set; }

    public string? DisplayName { get; set; }

    public string? Description { get; set; }

    public string? Category { get; set; }

    public string? Icon { get; set; }

    public string? Image { get; set; }

    public string? Memory { get; set; }

    public string? Cpu { get; set; }

    /// <summary>One port a line, <c>name:port</c> (or just the number, named <c>http</c>); the first is streamed.</summary>
    public string? Ports { get; set; }

    /// <summary>One variable a line, <c>NAME=value</c>.</summary>
    public string? Env { get; set; }

    public IList<string> Capabilities { get; set; } = [];

    /// <summary>Comma-separated.</summary>
    public string? Tags { get; set; }

    public string? LocalCommand { get; set; }

    public static TemplateDraft From(TemplateDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new TemplateDraft
        {
            Name = definition.Name,
            DisplayName = definition.DisplayName,
            Description = definition.Description,
            Category = definition.Category,
            Icon = definition.Icon,
            Image = definition.Image,
            Memory = Quantity.FormatBytes(definition.DefaultMemoryBytes),
            Cpu = Quantity.FormatMillicores(definition.DefaultCpuMillicores),
            Ports = string.Join('\n', definition.Ports.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name}:{p.ContainerPort}"))),
            Env = string.Join('\n', definition.Env.Select(e => $"{e.Name}={e.Value}")),
            Capabilities = [.. definition.Capabilities],
            Tags = string.Join(", ", definition.Tags),
            LocalCommand = definition.LocalCommand,
        };
    }

    public string ToYaml()
    {
        var spec = new YamlMappingNode();
        Add(spec, "displayName", DisplayName);
        Add(spec, "description", Description);
        Add(spec, "category", Category);
        Add(spec, "icon", Icon);
        Add(spec, "image", Image);
        var resources = new YamlMappingNode();
        Add(resources, "memory", Memory);
        Add(resources, "cpu", Cpu);
        if (resources.Children.Count > 0)
        {
            spec.Add("defaultResources", resources);
        }

        var ports = Lines(Ports).Select(line =>
        {
            var colon = line.LastIndexOf(':');
            return new YamlMappingNode
            {
                { "name", colon < 0 ? "http" : line[..colon].Trim() },
                { "containerPort", colon < 0 ? line : line[(colon + 1)..].Trim() },
            };
        }).ToList();
        if (ports.Count > 0)
        {
            spec.Add("ports", new YamlSequenceNode(ports));
        }

        var env = Lines(Env).Select(line =>
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            return new YamlMappingNode
            {
                { "name", equals < 0 ? line : line[..equals].Trim() },
                { "value", new YamlScalarNode(equals < 0 ? string.Empty : line[(equals + 1)..]) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted } },
            };
        }).ToList();
        if (env.Count > 0)
        {
            spec.Add("env", new YamlSequenceNode(env));
        }

        if (Capabilities.Count > 0)
        {
            spec.Add("capabilities", new YamlSequenceNode(Capabilities.Select(c => new YamlScalarNode(c))));
        }

        var tags = (Tags ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (tags.Length > 0)
        {
            spec.Add("tags", new YamlSequenceNode(tags.Select(t => new YamlScalarNode(t))));
        }

        Add(spec, "localCommand", LocalCommand);
        var metadata = new YamlMappingNode();
        Add(metadata, "name", Name);
        var root = new YamlMappingNode
        {
            { "apiVersion", TemplateYaml.ApiVersion },
            { "kind", TemplateYaml.Kind },
            { "metadata", metadata },
            { "spec", spec },
        };
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private static void Add(YamlMappingNode mapping, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            mapping.Add(key, new YamlScalarNode(value.Trim()) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted });
        }
    }

    private static string[] Lines(string? text) =>
        (text ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
