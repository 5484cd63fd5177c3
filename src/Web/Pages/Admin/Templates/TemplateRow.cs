namespace StreamSpace.Web.Pages.Admin.Templates;

/// <param name="IsOwn">The organisation's own template (editable); otherwise a global one (export, enable, disable).</param>
public sealed record TemplateRow(string Name, string DisplayName, string Category, string Image, bool IsOwn, bool Enabled);
