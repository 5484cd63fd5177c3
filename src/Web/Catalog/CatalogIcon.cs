namespace StreamSpace.Web.Catalog;

/// <summary>How a template's icon is drawn: an SVG from <c>wwwroot/lib/simple-icons</c>, or a Bootstrap Icons glyph.</summary>
public sealed record CatalogIcon(string? ImagePath, string? BootstrapName);
