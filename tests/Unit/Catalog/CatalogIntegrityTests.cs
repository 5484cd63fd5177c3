using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Features.Catalog;

namespace StreamSpace.Tests.Unit.Catalog;

public sealed class CatalogIntegrityTests
{
    private static IReadOnlyList<TemplateDefinition> All => BuiltInTemplates.All;

    [Fact]
    public void The_catalog_ships_at_least_200_templates() => Assert.True(All.Count >= 200, $"Only {All.Count} templates.");

    [Fact]
    public void Template_names_are_unique() =>
        Assert.Empty(All.GroupBy(t => t.Name).Where(g => g.Count() > 1).Select(g => g.Key));

    [Fact]
    public void Every_image_reference_is_well_formed() =>
        Assert.Empty(All.Where(t => !ImageReference.IsWellFormed(t.Image)).Select(t => $"{t.Name}: {t.Image}"));

    [Fact]
    public void Every_container_image_is_a_linuxserver_image_and_every_local_one_has_a_command()
    {
        Assert.Empty(All.Where(t => t.LocalCommand is null && !t.Image.StartsWith("lscr.io/linuxserver/", StringComparison.Ordinal)).Select(t => t.Name));
        Assert.Empty(All.Where(t => t.Image.StartsWith("local/", StringComparison.Ordinal) && t.LocalCommand is null).Select(t => t.Name));
    }

    [Fact]
    public void Every_category_is_one_of_the_known_list() =>
        Assert.Empty(All.Where(t => !TemplateCategories.IsKnown(t.Category)).Select(t => $"{t.Name}: {t.Category}"));

    [Fact]
    public void Every_http_template_has_a_port() =>
        Assert.Empty(All.Where(t => t.Protocol == StreamProtocol.Http && (t.Ports.Count == 0 || t.Port is < 1 or > 65535)).Select(t => t.Name));

    [Fact]
    public void Every_template_has_a_description_and_an_icon() =>
        Assert.Empty(All.Where(t => t.Description.Length == 0 || t.Icon.Length == 0).Select(t => t.Name));

    [Fact]
    public void The_local_templates_come_first_and_keep_their_commands()
    {
        Assert.Equal("xterm", All[0].Name);
        Assert.Equal("xterm -fa Monospace -fs 12", All[0].LocalCommand);
        Assert.Equal("firefox-esr", All[1].Name);
        Assert.Equal("firefox-esr", All[1].LocalCommand);
        Assert.Equal(StreamProtocol.Rfb, All[0].Protocol);
    }

    [Fact]
    public void Every_webtop_desktop_flavour_is_its_own_template() =>
        Assert.Equal(20, All.Count(t => t.Image.StartsWith("lscr.io/linuxserver/webtop:", StringComparison.Ordinal)));
}
