using System.Text.RegularExpressions;
using Microsoft.Playwright;

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
        Assert.True(await cards.CountAsync() >= 200, "The catalog should list the whole shipped catalog before searching.");

        await page.GetByLabel("Search applications").PressSequentiallyAsync("fire", new() { Delay = 60 });

        await page.WaitForURLAsync(SearchedFire());
        await Assertions.Expect(page.Locator("[data-template=firefox]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-template=gimp]")).ToHaveCountAsync(0);
        Assert.True(await cards.CountAsync() < 10, "Only the matching cards should remain.");
        await Assertions.Expect(page.Locator("[data-template=firefox] img")).ToHaveAttributeAsync("src", "/lib/simple-icons/firefoxbrowser.svg");
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
