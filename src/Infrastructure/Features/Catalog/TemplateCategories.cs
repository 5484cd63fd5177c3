namespace StreamSpace.Infrastructure.Features.Catalog;

/// <summary>The fixed list of catalog categories, each with the Bootstrap icon shown when a template has none of its own.</summary>
public static class TemplateCategories
{
    public const string Custom = "Custom";

    private static readonly Dictionary<string, string> Icons = new(StringComparer.Ordinal)
    {
        ["Web Browsers"] = "globe",
        ["Development"] = "code-slash",
        ["Productivity"] = "briefcase",
        ["Media"] = "play-btn",
        ["Design"] = "palette",
        ["Desktop Environments"] = "display",
        ["Gaming"] = "controller",
        ["Communication"] = "chat-dots",
        ["Networking"] = "diagram-3",
        ["Home Automation"] = "house-gear",
        ["Downloaders"] = "cloud-download",
        ["Utilities"] = "tools",
        ["Security"] = "shield-lock",
        ["Education"] = "mortarboard",
        ["Science"] = "radioactive",
        [Custom] = "box-seam",
    };

    public static IReadOnlyList<string> All { get; } = [.. Icons.Keys];

    public static bool IsKnown(string category) => Icons.ContainsKey(category);

    /// <summary>The Bootstrap icon name for a category (a box for anything unknown).</summary>
    public static string IconOf(string category) => Icons.GetValueOrDefault(category, Icons[Custom]);
}
