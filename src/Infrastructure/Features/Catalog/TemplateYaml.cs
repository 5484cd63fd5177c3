using System.Globalization;
using System.Text.RegularExpressions;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Templates;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>
/// Reads and writes the product's Template documents (<c>apiVersion: stream.space/v1alpha1</c>, <c>kind: Template</c>;
/// the reference is docs/templates.md). Reading walks YAML's node tree rather than binding to a class, so every problem
/// names its field and line, and a text with any problem yields no template at all.
/// </summary>
public static partial class TemplateYaml
{
    public const string ApiVersion = "stream.space/v1alpha1";
    public const string Kind = "Template";
    public const int MaxDisplayNameLength = 200;
    public const int MaxDescriptionLength = 2000;
    public const int MaxIconLength = 100;

    private static readonly string[] MetadataFields = ["name"];
    private static readonly string[] SpecFields =
        ["displayName", "description", "category", "icon", "image", "defaultResources", "ports", "env", "capabilities", "tags", "localCommand"];
    private static readonly string[] ResourceFields = ["memory", "cpu"];
    private static readonly string[] PortFields = ["name", "containerPort"];
    private static readonly string[] EnvFields = ["name", "value"];
    private static readonly long DefaultMemory = 1L << 30;
    private const int DefaultCpu = 1000;
    private const string VncPortName = "vnc";

    /// <summary>Reads every document of <paramref name="text"/> (separated by <c>---</c>).</summary>
    public static TemplateReadResult Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (YamlFieldReader.Load(text) is not { } stream)
        {
            return TemplateReadResult.Failed(YamlFieldReader.SyntaxProblem(text));
        }

        if (stream.Documents.Count == 0)
        {
            return TemplateReadResult.Failed(new TemplateProblem(1, null, "the text contains no Template document"));
        }

        var problems = new List<TemplateProblem>();
        var templates = new List<ParsedTemplate>();
        foreach (var document in stream.Documents)
        {
            if (new DocumentReader(problems).Read(document.RootNode) is { } template)
            {
                if (templates.Any(t => t.Definition.Name == template.Definition.Name))
                {
                    problems.Add(new TemplateProblem(template.NameLine, "metadata.name", $"\"{template.Definition.Name}\" appears more than once in this text"));
                }

                templates.Add(template);
            }
        }

        return problems.Count == 0 ? new TemplateReadResult(templates, []) : new TemplateReadResult([], problems);
    }

    /// <summary>One document; reading it back gives an equal definition.</summary>
    public static string Write(TemplateDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var spec = new YamlMappingNode
        {
            { "displayName", YamlScalars.Exact(definition.DisplayName) },
        };
        if (definition.Description.Length > 0)
        {
            spec.Add("description", YamlScalars.Exact(definition.Description));
        }

        spec.Add("category", definition.Category);
        if (definition.Icon.Length > 0)
        {
            spec.Add("icon", definition.Icon);
        }

        spec.Add("image", definition.Image);
        spec.Add("defaultResources", new YamlMappingNode
        {
            { "memory", Quantity.FormatBytes(definition.DefaultMemoryBytes) },
            { "cpu", Quantity.FormatMillicores(definition.DefaultCpuMillicores) },
        });
        if (definition.Ports.Count > 0)
        {
            spec.Add("ports", new YamlSequenceNode(definition.Ports.Select(p => new YamlMappingNode
            {
                { "name", p.Name },
                { "containerPort", p.ContainerPort.ToString(CultureInfo.InvariantCulture) },
            })));
        }

        if (definition.Env.Count > 0)
        {
            spec.Add("env", new YamlSequenceNode(definition.Env.Select(e => new YamlMappingNode
            {
                { "name", e.Name },
                { "value", new YamlScalarNode(e.Value) { Style = ScalarStyle.DoubleQuoted } },
            })));
        }

        if (definition.Capabilities.Count > 0)
        {
            spec.Add("capabilities", FlowList(definition.Capabilities));
        }

        if (definition.Tags.Count > 0)
        {
            spec.Add("tags", FlowList(definition.Tags));
        }

        if (definition.LocalCommand is not null)
        {
            spec.Add("localCommand", YamlScalars.Exact(definition.LocalCommand));
        }

        var root = new YamlMappingNode
        {
            { "apiVersion", ApiVersion },
            { "kind", Kind },
            { "metadata", new YamlMappingNode { { "name", definition.Name } } },
            { "spec", spec },
        };
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString();

        // YamlStream ends every document with an explicit "..." marker; a lone document reads better without it.
        return text.EndsWith("...\n", StringComparison.Ordinal) || text.EndsWith("...\r\n", StringComparison.Ordinal)
            ? text[..text.LastIndexOf("...", StringComparison.Ordinal)]
            : text;
    }

    /// <summary>Several documents, separated by <c>---</c>.</summary>
    public static string WriteAll(IEnumerable<TemplateDefinition> definitions) =>
        string.Join("---\n", definitions.Select(Write));

    /// <summary>A metadata.name: a DNS label, as Kubernetes object names are.</summary>
    public static bool IsValidName(string name) => name.Length <= 63 && NameGrammar().IsMatch(name);

    private static YamlSequenceNode FlowList(IEnumerable<string> items) =>
        new(items.Select(i => new YamlScalarNode(i))) { Style = SequenceStyle.Flow };

    [GeneratedRegex("^[a-z]([a-z0-9-]*[a-z0-9])?$", RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NameGrammar();

    [GeneratedRegex("^[a-z]([a-z0-9-]{0,13}[a-z0-9])?$", RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PortNameGrammar();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex EnvNameGrammar();

    [GeneratedRegex("^((si|bi):)?[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex IconGrammar();

    /// <summary>Walks one document, adding a problem for everything wrong and returning a template only when nothing was.</summary>
    private sealed class DocumentReader(List<TemplateProblem> problems) : YamlFieldReader(problems)
    {
        private int _found;

        public ParsedTemplate? Read(YamlNode root)
        {
            _found = Problems.Count;
            if (ReadTop(root, ApiVersion, Kind) is not { } top)
            {
                return null;
            }

            var (metadata, spec) = top;

            var name = metadata is null ? null : ReadName(metadata);
            var definition = spec is null || name is null ? null : ReadSpec(name, spec);
            return definition is not null && Problems.Count == _found
                ? new ParsedTemplate(definition, (int)metadata!.Children[new YamlScalarNode("name")].Start.Line)
                : null;
        }

        private string? ReadName(YamlMappingNode metadata)
        {
            var fields = Fields(metadata, "metadata", MetadataFields);
            var name = Text(fields, "name", metadata, required: true, path: "metadata.name");
            if (name is not null && !IsValidName(name))
            {
                Problem(fields["name"], "metadata.name", $"\"{name}\" is not a valid name: use lowercase letters, digits and hyphens, starting with a letter, at most 63 characters");
                return null;
            }

            return name;
        }

        private TemplateDefinition? ReadSpec(string name, YamlMappingNode spec)
        {
            var fields = Fields(spec, "spec", SpecFields);
            var displayName = Text(fields, "displayName", spec, required: true, path: "spec.displayName", maxLength: MaxDisplayNameLength);
            var description = Text(fields, "description", spec, path: "spec.description", maxLength: MaxDescriptionLength) ?? string.Empty;
            var category = Text(fields, "category", spec, path: "spec.category") ?? TemplateCategories.Custom;
            if (fields.TryGetValue("category", out var categoryNode) && !TemplateCategories.IsKnown(category))
            {
                Problem(categoryNode, "spec.category", $"\"{category}\" is not a category; use one of: {string.Join(", ", TemplateCategories.All)}");
            }

            var icon = Text(fields, "icon", spec, path: "spec.icon", maxLength: MaxIconLength) ?? string.Empty;
            if (icon.Length > 0 && !IconGrammar().IsMatch(icon))
            {
                Problem(fields["icon"], "spec.icon", $"\"{icon}\" is not an icon: use si:<Simple Icons slug> or bi:<Bootstrap Icons name>");
            }

            var image = Text(fields, "image", spec, required: true, path: "spec.image");
            if (image is not null && !ImageReference.IsWellFormed(image))
            {
                Problem(fields["image"], "spec.image", $"\"{image}\" is not an image reference such as registry.example.com/team/app:1.2");
            }

            var (memory, cpu) = ReadResources(fields, spec);
            var localCommand = Text(fields, "localCommand", spec, path: "spec.localCommand");
            if (localCommand is { Length: 0 })
            {
                Problem(fields["localCommand"], "spec.localCommand", "must not be empty; leave the field out for a container-only template");
            }

            var ports = ReadPorts(fields);
            if (ports.Count == 0 && localCommand is null && !fields.ContainsKey("ports"))
            {
                Problem(spec, "spec.ports", "a template without spec.localCommand needs at least one port: the one its web client listens on");
            }

            var protocol = ReadProtocol(fields, ports, localCommand);

            var env = ReadEnv(fields);
            var capabilities = Words(fields, "capabilities", "spec.capabilities");
            foreach (var (capability, node) in capabilities)
            {
                if (!TemplateCapabilities.All.Contains(capability))
                {
                    Problem(node, "spec.capabilities", $"\"{capability}\" is not a capability; use {string.Join(", ", TemplateCapabilities.All)}");
                }
            }

            var tags = Words(fields, "tags", "spec.tags");
            if (displayName is null || image is null || Problems.Count != _found)
            {
                return null;
            }

            return new TemplateDefinition(
                name,
                displayName,
                description,
                category,
                icon,
                image,
                protocol,
                ports,
                memory,
                cpu,
                env,
                [.. capabilities.Select(c => c.Value).Distinct()],
                [.. tags.Select(t => t.Value).Distinct()],
                localCommand);
        }

        /// <summary>
        /// The streamed (first) port's name says how it is streamed: <c>vnc</c> is RFB through the portal's gateway,
        /// <c>http</c>/<c>https</c> the app's own web client through the session proxy. A local command always runs next to Xvnc.
        /// </summary>
        private StreamProtocol ReadProtocol(Dictionary<string, YamlNode> spec, List<TemplatePort> ports, string? localCommand)
        {
            if (ports.Count == 0)
            {
                return localCommand is null ? StreamProtocol.Http : StreamProtocol.Rfb;
            }

            var name = ports[0].Name;

            // When the first item is not the first port read, its own problem is already reported.
            if (spec["ports"] is not YamlSequenceNode { Children: [YamlMappingNode first, ..] }
                || !first.Children.TryGetValue(new YamlScalarNode("name"), out var node)
                || node is not YamlScalarNode { Value: var written } || written != name || !PortNameGrammar().IsMatch(name))
            {
                return StreamProtocol.Http;
            }

            StreamProtocol? protocol = name switch
            {
                VncPortName => StreamProtocol.Rfb,
                "http" or "https" => StreamProtocol.Http,
                _ => null,
            };
            if (protocol is null)
            {
                Problem(node, "spec.ports[0].name", $"\"{name}\" does not say how the port is streamed: name the first port vnc (RFB through the portal's gateway) or http (the app's own web client; https if it serves TLS)");
                return StreamProtocol.Http;
            }

            if (localCommand is not null && protocol != StreamProtocol.Rfb)
            {
                Problem(node, "spec.ports[0].name", $"\"{name}\" cannot stream a spec.localCommand, which runs next to its own VNC server: name the port vnc");
            }

            return protocol.Value;
        }

        private (long Memory, int Cpu) ReadResources(Dictionary<string, YamlNode> spec, YamlMappingNode specNode)
        {
            var resources = Mapping(spec, "defaultResources", specNode, path: "spec.defaultResources");
            if (resources is null)
            {
                return (DefaultMemory, DefaultCpu);
            }

            var fields = Fields(resources, "spec.defaultResources", ResourceFields);
            var memory = DefaultMemory;
            var memoryText = Text(fields, "memory", resources, path: "spec.defaultResources.memory");
            if (memoryText is not null && (!Quantity.TryParseBytes(memoryText, out memory) || memory <= 0))
            {
                Problem(fields["memory"], "spec.defaultResources.memory", $"\"{memoryText}\" is not a size such as 512Mi or 2Gi");
            }
            else if (memory > QuantityLimits.MaxMemoryBytes)
            {
                Problem(fields["memory"], "spec.defaultResources.memory", QuantityLimits.TooLarge(memoryText, Quantity.FormatBytes(QuantityLimits.MaxMemoryBytes)).TrimEnd('.'));
            }

            var cpu = DefaultCpu;
            var cpuText = Text(fields, "cpu", resources, path: "spec.defaultResources.cpu");
            if (cpuText is not null && (!Quantity.TryParseMillicores(cpuText, out cpu) || cpu <= 0))
            {
                Problem(fields["cpu"], "spec.defaultResources.cpu", $"\"{cpuText}\" is not a CPU amount such as 500m or 2");
            }
            else if (cpu > QuantityLimits.MaxMillicores)
            {
                Problem(fields["cpu"], "spec.defaultResources.cpu", QuantityLimits.TooLarge(cpuText, $"{Quantity.FormatMillicores(QuantityLimits.MaxMillicores)} cores").TrimEnd('.'));
            }

            return (memory, cpu);
        }

        private List<TemplatePort> ReadPorts(Dictionary<string, YamlNode> spec)
        {
            var ports = new List<TemplatePort>();
            var items = Items(spec, "ports", "spec.ports");
            if (items is { Count: 0 })
            {
                Problem(spec["ports"], "spec.ports", "must list at least one port, or be left out");
            }

            for (var i = 0; i < items?.Count; i++)
            {
                var path = $"spec.ports[{i}]";
                if (items[i] is not YamlMappingNode item)
                {
                    Problem(items[i], path, "must be a mapping with name and containerPort");
                    continue;
                }

                var fields = Fields(item, path, PortFields);
                var name = Text(fields, "name", item, required: true, path: path + ".name");
                if (name is not null && !PortNameGrammar().IsMatch(name))
                {
                    Problem(fields["name"], path + ".name", $"\"{name}\" is not a port name: use up to 15 lowercase letters, digits and hyphens, starting with a letter");
                }
                else if (name is not null && ports.Any(p => p.Name == name))
                {
                    Problem(fields["name"], path + ".name", $"\"{name}\" names two ports");
                }

                var number = Text(fields, "containerPort", item, required: true, path: path + ".containerPort");
                if (number is not null)
                {
                    if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                    {
                        Problem(fields["containerPort"], path + ".containerPort", $"{number} is not a port number (1 to 65535)");
                    }
                    else if (name is not null)
                    {
                        ports.Add(new TemplatePort(name, port));
                    }
                }
            }

            return ports;
        }

        private List<TemplateEnvVar> ReadEnv(Dictionary<string, YamlNode> spec)
        {
            var env = new List<TemplateEnvVar>();
            var items = Items(spec, "env", "spec.env");
            for (var i = 0; i < items?.Count; i++)
            {
                var path = $"spec.env[{i}]";
                if (items[i] is not YamlMappingNode item)
                {
                    Problem(items[i], path, "must be a mapping with name and value");
                    continue;
                }

                var fields = Fields(item, path, EnvFields);
                var name = Text(fields, "name", item, required: true, path: path + ".name");
                var value = Text(fields, "value", item, path: path + ".value") ?? string.Empty;
                if (name is not null && !EnvNameGrammar().IsMatch(name))
                {
                    Problem(fields["name"], path + ".name", $"\"{name}\" is not an environment variable name: use letters, digits and underscores, not starting with a digit");
                }
                else if (name is not null && LoaderVariables.IsRefused(name))
                {
                    Problem(fields["name"], path + ".name", $"\"{name}\" is not allowed: it makes programs load code or files it names before they start");
                }
                else if (name is not null && RuntimeVariables.IsRuntimeOwned(name))
                {
                    Problem(fields["name"], path + ".name", $"\"{name}\" is not allowed: {RuntimeVariables.WhyOwned(name)}");
                }
                else if (name is not null && env.Any(e => e.Name == name))
                {
                    Problem(fields["name"], path + ".name", $"\"{name}\" is set twice");
                }
                else if (name is not null)
                {
                    env.Add(new TemplateEnvVar(name, value));
                }
            }

            return env;
        }

        private List<(string Value, YamlNode Node)> Words(Dictionary<string, YamlNode> fields, string name, string path)
        {
            var words = new List<(string, YamlNode)>();
            foreach (var item in Items(fields, name, path) ?? [])
            {
                if (item is YamlScalarNode { Value: { Length: > 0 } value } && IconGrammar().IsMatch(value) && !value.Contains(':', StringComparison.Ordinal))
                {
                    words.Add((value, item));
                }
                else
                {
                    Problem(item, path, $"\"{(item as YamlScalarNode)?.Value}\" is not a lowercase word (letters, digits and hyphens)");
                }
            }

            return words;
        }
    }
}
