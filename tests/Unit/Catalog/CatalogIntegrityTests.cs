using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Runtimes;

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

    /// <summary>Applications LinuxServer.io does not package, shipped with their projects' own images.</summary>
    private static readonly Dictionary<string, string> OwnImages = new(StringComparer.Ordinal)
    {
        ["gitea"] = "docker.io/gitea/gitea:",
        ["jupyterlab"] = "quay.io/jupyter/base-notebook:",
    };

    [Fact]
    public void Every_container_image_is_a_linuxserver_image_or_its_project_s_own_and_every_local_one_has_a_command()
    {
        Assert.Empty(All.Where(t => t.LocalCommand is null && !t.Image.StartsWith("lscr.io/linuxserver/", StringComparison.Ordinal)
            && !(OwnImages.TryGetValue(t.Name, out var own) && t.Image.StartsWith(own, StringComparison.Ordinal))).Select(t => t.Name));
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

    [Theory]
    [InlineData("gitea", 3000)]
    [InlineData("jupyterlab", 8888)]
    public void Gitea_and_jupyterlab_are_web_applications_on_their_own_port_that_keep_their_state_in_the_home(string name, int port)
    {
        var template = BuiltInTemplates.Named(name);

        Assert.Equal((StreamProtocol.Http, port, "Development"), (template.Protocol, template.Port, template.Category));
        Assert.Null(template.LocalCommand);
        // Images that are not LinuxServer.io's get the home volume at /home/app: their state must be pointed there.
        Assert.False(ImageConventions.IsLinuxServerImage(template.Image));
        Assert.NotEmpty(template.Env);
        Assert.All(template.Env, variable => Assert.Contains("/home/app", variable.Value, StringComparison.Ordinal));
    }
}
