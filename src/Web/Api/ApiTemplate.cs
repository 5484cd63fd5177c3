namespace StreamSpace.Web.Api;

/// <summary>A catalog entry as the API returns it; quantities in Kubernetes units, as in Template YAML.</summary>
public sealed record ApiTemplate(
    string Name, string DisplayName, string Description, string Category, string Memory, string Cpu, string Protocol, IReadOnlyList<string> Tags, bool Private);
