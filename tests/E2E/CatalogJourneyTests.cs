using System.Text.RegularExpressions;
using Microsoft.Playwright;
using StreamSpace.Infrastructure.Features.Catalog;

namespace StreamSpace.Tests.E2E;

[Collection(SharedPortal.Name)]
public sealed partial class CatalogJourneyTests(RunningPortal portal)
{
    [Fact]
    public async Task Typing_fire_in_the_search_shows_firefox_and_puts_the_search_in_the_address()
    {
        var page = await portal.NewPageAsync();
        var (tenant, _) = await Journeys.SignUpAsync(portal, page, "catalog");
        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "catalog").ToString());
        var cards = page.Locator("[data-template]");
        Assert.Equal(BuiltInTemplates.All.Count, await cards.CountAsync());

        await page.GetByLabel("Search applications").PressSequentiallyAsync("fire", new() { Delay = 60 });

        await page.WaitForURLAsync(SearchedFire());
        await Assertions.Expect(page.Locator("[data-template=firefox]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-template=gimp]")).ToHaveCountAsync(0);
        Assert.True(await cards.CountAsync() < 10, "Only the matching cards should remain.");
        await Assertions.Expect(page.Locator("[data-template=firefox] img")).ToHaveAttributeAsync("src", "/lib/simple-icons/firefoxbrowser.svg");
    }

    [Fact]
    public async Task A_template_with_a_bad_quantity_shows_the_field_and_line_in_the_import_form_and_imports_nothing()
    {
        var page = await portal.NewPageAsync();
        var (tenant, _) = await Journeys.SignUpAsync(portal, page, "import");
        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "admin/templates/import").ToString());
        var yaml = StreamSpace.Tests.Support.ProductExamples.Template.Replace("memory: 4Gi", "memory: 4Gb", StringComparison.Ordinal);

        await page.GetByLabel("Template YAML").FillAsync(yaml);
        await page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();

        // The refusal is a 422 swapped in by htmx: the form stays, with the problem and the pasted text.
        await Assertions.Expect(page.Locator("#import-problems")).ToContainTextAsync("line 10: spec.defaultResources.memory: \"4Gb\" is not a size");
        await Assertions.Expect(page.GetByLabel("Template YAML")).ToHaveValueAsync(yaml);
        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "catalog?q=my-app").ToString());
        await Assertions.Expect(page.Locator("[data-template=my-app]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Choosing_a_category_keeps_only_its_applications_and_the_link_reopens_the_same_results()
    {
        var page = await portal.NewPageAsync();
        var (tenant, _) = await Journeys.SignUpAsync(portal, page, "category");
        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "catalog").ToString());

        await page.GetByLabel("Category").SelectOptionAsync("Gaming");

        await page.WaitForURLAsync(new Regex("category=Gaming"));
        await Assertions.Expect(page.Locator("[data-template=dolphin]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-template=firefox]")).ToHaveCountAsync(0);
        var count = await page.Locator("[data-template]").CountAsync();

        await page.ReloadAsync();
        Assert.Equal(count, await page.Locator("[data-template]").CountAsync());
        await Assertions.Expect(page.GetByLabel("Category")).ToHaveValueAsync("Gaming");
    }

    [GeneratedRegex(@"/catalog\?q=fire(&|$)")]
    private static partial Regex SearchedFire();
}
