namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>No template of that name is visible to this tenant (or it is not the tenant's own, for an edit): answered with 404.</summary>
public sealed class TemplateNotFoundException(string name) : Exception($"Template \"{name}\" was not found.")
{
    public string Name { get; } = name;
}
