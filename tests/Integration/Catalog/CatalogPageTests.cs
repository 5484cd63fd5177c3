using System.Net;
using System.Text.RegularExpressions;
using StreamSpace.Infrastructure.Features.Catalog;

namespace StreamSpace.Tests.Integration.Catalog;

public sealed partial class CatalogPageTests(CatalogPortal portal) : IClassFixture<CatalogPortal>
{
    [Fact]
    public async Task The_catalog_page_lists_every_built_in_template_and_varies_on_htmx()
    {
        var client = await portal.SignedInAsync("acme", CatalogPortal.AcmeMember);

        var response = await client.GetAsync("/catalog");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("HX-Request", response.Headers.Vary);
        Assert.Equal(BuiltInTemplates.All.Count, Cards(html).Count);
        Assert.Contains($"{BuiltInTemplates.All.Count} applications.", html, StringComparison.Ordinal);
        Assert.Contains("hx-push-url=\"true\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Typing_in_the_search_returns_only_the_matching_cards_as_a_partial()
    {
        var client = await portal.SignedInAsync("acme", CatalogPortal.AcmeMember);

        var response = await client.HtmxGetAsync("/catalog?q=fire");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<html", html, StringComparison.Ordinal);
        Assert.Contains("firefox", Cards(html));
        Assert.Contains("firefox-esr", Cards(html));
        Assert.DoesNotContain("gimp", Cards(html));
        Assert.All(Cards(html), name => Assert.Contains("fire", SearchableText(name), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Search_matches_tags_and_ignores_case()
    {
        var client = await portal.SignedInAsync("acme", CatalogPortal.AcmeMember);

        var html = await (await client.HtmxGetAsync("/catalog?q=EMULATOR")).Content.ReadAsStringAsync();

        Assert.Contains("dolphin", Cards(html));
        Assert.Contains("duckstation", Cards(html));
        Assert.DoesNotContain("firefox", Cards(html));
    }

    [Fact]
    public async Task The_category_filter_shows_only_that_category_and_combines_with_the_search()
    {
        var client = await portal.SignedInAsync("acme", CatalogPortal.AcmeMember);

        var gaming = Cards(await (await client.HtmxGetAsync("/catalog?category=Gaming")).Content.ReadAsStringAsync());
        var browsers = Cards(await (await client.HtmxGetAsync("/catalog?q=fire&category=Web%20Browsers")).Content.ReadAsStringAsync());

        Assert.Equal(BuiltInTemplates.All.Where(t => t.Category == "Gaming").Select(t => t.Name).Order(), gaming.Order());
        Assert.Contains("firefox", browsers);
        Assert.Contains("firefox-esr", browsers);
        Assert.All(browsers, name => Assert.Equal("Web Browsers", BuiltInTemplates.Named(name).Category));
    }

    [Fact]
    public async Task A_search_link_opened_directly_renders_the_whole_page_with_the_results()
    {
        var client = await portal.SignedInAsync("acme", CatalogPortal.AcmeMember);

        var html = await client.GetStringAsync("/catalog?q=krita");

        Assert.Contains("<html", html, StringComparison.Ordinal);
        Assert.Contains("value=\"krita\"", html, StringComparison.Ordinal);
        Assert.Equal(["krita"], Cards(html));
        Assert.Contains("1 application matches.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_that_matches_nothing_says_so()
    {
        var client = await portal.SignedInAsync("acme", CatalogPortal.AcmeMember);

        var html = await (await client.HtmxGetAsync("/catalog?q=zzzz%25")).Content.ReadAsStringAsync();

        Assert.Empty(Cards(html));
        Assert.Contains("Nothing matches", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_container_engine_image_templates_say_they_need_one_and_host_apps_offer_launch()
    {
        var client = await portal.SignedInAsync("acme", CatalogPortal.AcmeMember);

        var html = await (await client.HtmxGetAsync("/catalog?q=terminal")).Content.ReadAsStringAsync();
        var gimp = await (await client.HtmxGetAsync("/catalog?q=gimp")).Content.ReadAsStringAsync();

        Assert.Contains("aria-label=\"Launch Terminal\"", html, StringComparison.Ordinal);
        Assert.Contains(">needs a container engine</span>", gimp, StringComparison.Ordinal);
        Assert.Contains("title=\"Needs a container engine: this installation has no Docker or Podman", gimp, StringComparison.Ordinal);
        Assert.DoesNotContain("Launch GIMP", gimp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Brand_icons_are_served_by_the_portal_itself()
    {
        var client = await portal.SignedInAsync("acme", CatalogPortal.AcmeMember);
        var html = await (await client.HtmxGetAsync("/catalog?q=firefox")).Content.ReadAsStringAsync();

        Assert.Contains("src=\"/lib/simple-icons/firefoxbrowser.svg\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        var svg = await portal.ClientFor(null).GetAsync("/lib/simple-icons/firefoxbrowser.svg");
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
    }

    private static List<string> Cards(string html) => [.. CardPattern().Matches(html).Select(m => m.Groups[1].Value)];

    private static string SearchableText(string name)
    {
        var t = BuiltInTemplates.Named(name);
        return string.Join(' ', [t.Name, t.DisplayName, t.Description, t.Category, .. t.Tags]);
    }

    [GeneratedRegex("<article class=\"card h-100 template-card\" data-template=\"([^\"]+)\"")]
    private static partial Regex CardPattern();
}
