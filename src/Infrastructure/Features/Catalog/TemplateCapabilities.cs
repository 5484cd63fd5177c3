namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>What a template may ask of its session (<c>spec.capabilities</c>); runtimes grant nothing else.</summary>
public static class TemplateCapabilities
{
    public const string Network = "network";
    public const string Audio = "audio";
    public const string Clipboard = "clipboard";

    public static IReadOnlyList<string> All { get; } = [Network, Audio, Clipboard];
}
