using Microsoft.Playwright;

namespace StreamSpace.Tests.E2E;

/// <summary>
/// Back after filtering (issue 23 item 9): the controls say what the restored results are filtered by, for Back within the
/// page's own history (htmx restores its snapshot, whose controls carry the values they were first rendered with) and Back
/// from another page. Without url-controls.js the second Back showed "All categories" beside the Communication results.
/// </summary>
[Collection(SharedPortal.Name)]
public sealed class BackButtonJourneyTests(RunningPortal portal)
{
    [Fact]
    public async Task Back_on_the_catalog_and_the_audit_log_restores_the_filter_controls_with_the_results()
    {
        var page = await portal.NewPageAsync();
        var (tenant, email) = await Journeys.SignUpAsync(portal, page, "back");

        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "catalog").ToString());
        var categories = await page.Locator("#category option").EvaluateAllAsync<string[]>("options => options.map(o => o.value).filter(v => v)");
        Assert.True(categories.Length >= 2, "The catalog has fewer than two categories.");
        await page.Locator("#category").SelectOptionAsync(categories[0]);
        await page.WaitForURLAsync(url => Query(url, "category") == categories[0]);
        await page.Locator("#category").SelectOptionAsync(categories[1]);
        await page.WaitForURLAsync(url => Query(url, "category") == categories[1]);

        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "sessions").ToString());
        await page.GoBackAsync();
        await Assertions.Expect(page.Locator("#category")).ToHaveValueAsync(categories[1]);
        await page.GoBackAsync();
        await page.WaitForURLAsync(url => Query(url, "category") == categories[0]);

        await Assertions.Expect(page.Locator("#category")).ToHaveValueAsync(categories[0]);

        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "admin/audit").ToString());
        await page.Locator("#filter-actor").FillAsync(email);
        await page.Locator("#audit-filter").EvaluateAsync("form => form.requestSubmit()");
        await page.WaitForURLAsync(url => Query(url, "actor") == email);
        await page.Locator("#filter-actor").FillAsync("nobody@example.com");
        await page.Locator("#audit-filter").EvaluateAsync("form => form.requestSubmit()");
        await page.WaitForURLAsync(url => Query(url, "actor") == "nobody@example.com");

        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "sessions").ToString());
        await page.GoBackAsync();
        await page.GoBackAsync();
        await page.WaitForURLAsync(url => Query(url, "actor") == email);

        await Assertions.Expect(page.Locator("#filter-actor")).ToHaveValueAsync(email);
    }

    private static string? Query(string url, string name) => System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)[name];
}
