using StreamSpace.Domain.Common;

namespace StreamSpace.Domain.Templates;

/// <summary>An application in the catalog: global when <see cref="TenantId"/> is null, else private to one tenant.</summary>
public sealed class Template
{
    private Template()
    {
        Name = DisplayName = Description = Category = Icon = Image = string.Empty;
        Capabilities = [];
        Tags = [];
        Ports = [];
        Env = [];
    }

    public Guid Id { get; private set; }

    public Guid? TenantId { get; private set; }

    /// <summary>The template's id in YAML (<c>metadata.name</c>).</summary>
    public string Name { get; private set; }

    public string DisplayName { get; private set; }

    public string Description { get; private set; }

    public string Category { get; private set; }

    public string Icon { get; private set; }

    public string Image { get; private set; }

    public StreamProtocol Protocol { get; private set; }

    /// <summary>The port the portal streams (the first of <see cref="Ports"/>).</summary>
    public int Port { get; private set; }

    public IReadOnlyList<TemplatePort> Ports { get; private set; }

    public IReadOnlyList<TemplateEnvVar> Env { get; private set; }

    public long DefaultMemoryBytes { get; private set; }

    public int DefaultCpuMillicores { get; private set; }

    public IReadOnlyList<string> Capabilities { get; private set; }

    public IReadOnlyList<string> Tags { get; private set; }

    /// <summary>What the local runtime runs inside the sandbox; null when the template needs a container.</summary>
    public string? LocalCommand { get; private set; }

    public bool RunsLocally => LocalCommand is not null;

    /// <summary>The template as its YAML document describes it, for export and for telling whether a new version changed it.</summary>
    public TemplateDefinition ToDefinition() =>
        new(Name, DisplayName, Description, Category, Icon, Image, Protocol, Ports, DefaultMemoryBytes, DefaultCpuMillicores, Env, Capabilities, Tags, LocalCommand);

    public static Template CreateGlobal(TemplateDefinition definition) => Create(null, definition);

    public static Template CreateForTenant(Guid tenantId, TemplateDefinition definition) => Create(tenantId, definition);

    public void Update(TemplateDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Name != Name)
        {
            throw new DomainException("A template's name cannot change.");
        }

        Apply(definition);
    }

    private static Template Create(Guid? tenantId, TemplateDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var template = new Template { Id = Guid.CreateVersion7(), TenantId = tenantId, Name = definition.Name };
        template.Apply(definition);
        return template;
    }

    private void Apply(TemplateDefinition definition)
    {
        if (string.IsNullOrWhiteSpace(definition.DisplayName) || string.IsNullOrWhiteSpace(definition.Image))
        {
            throw new DomainException("A template needs a display name and an image.");
        }

        DisplayName = definition.DisplayName;
        Description = definition.Description;
        Category = definition.Category;
        Icon = definition.Icon;
        Image = definition.Image;
        Protocol = definition.Protocol;
        Ports = [.. definition.Ports];
        Port = definition.Port;
        Env = [.. definition.Env];
        DefaultMemoryBytes = definition.DefaultMemoryBytes;
        DefaultCpuMillicores = definition.DefaultCpuMillicores;
        Capabilities = [.. definition.Capabilities];
        Tags = [.. definition.Tags];
        LocalCommand = definition.LocalCommand;
    }
}
