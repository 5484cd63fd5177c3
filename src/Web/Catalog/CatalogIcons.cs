using System.Collections.Concurrent;
using StreamSpace.Infrastructure.Features.Catalog;

namespace StreamSpace.Web.Catalog;

/// <summary>
/// Resolves a template's <c>icon</c> (<c>si:slug</c>, <c>bi:name</c> or a bare Bootstrap name) to something served from this
/// host, never a remote URL. A brand whose SVG the build did not copy falls back to the category's Bootstrap icon.
/// </summary>
public sealed class CatalogIcons(IWebHostEnvironment environment)
{
    private const string BrandPrefix = "si:";
    private const string BootstrapPrefix = "bi:";
    private readonly ConcurrentDictionary<string, bool> _brandExists = new(StringComparer.Ordinal);

    public CatalogIcon Resolve(string icon, string category)
    {
        ArgumentNullException.ThrowIfNull(icon);
        if (icon.StartsWith(BrandPrefix, StringComparison.Ordinal))
        {
            var path = $"/lib/simple-icons/{icon[BrandPrefix.Length..]}.svg";
            if (_brandExists.GetOrAdd(path, p => environment.WebRootFileProvider.GetFileInfo(p).Exists))
            {
                return new CatalogIcon(path, null);
            }
        }
        else if (icon.Length > 0)
        {
            return new CatalogIcon(null, icon.StartsWith(BootstrapPrefix, StringComparison.Ordinal) ? icon[BootstrapPrefix.Length..] : icon);
        }

        return new CatalogIcon(null, TemplateCategories.IconOf(category));
    }
}
