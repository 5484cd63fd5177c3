using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace StreamSpace.Tests.E2E;

[Collection(SharedPortal.Name)]
public sealed class ViewerRefusalJourneyTests(RunningPortal portal)
{
    [Fact]
    public async Task A_hibernated_viewer_offers_only_resume_and_a_resume_refused_by_the_quota_says_why()
    {
        var page = await portal.NewPageAsync();
        var (tenant, _) = await Journeys.SignUpAsync(portal, page, "refuse");
        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "catalog").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Launch Terminal" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#keep-awake")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Hibernate" }).ClickAsync();
        await Assertions.Expect(page.Locator("#overlay-title")).ToHaveTextAsync("This session is hibernating.", new() { Timeout = 30_000 });

        // Nothing to hibernate, keep awake or paste into any more; no countdown either.
        await Assertions.Expect(page.Locator("#hibernate")).Not.ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#keep-awake")).Not.ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#clipboard-button")).Not.ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#idle-banner")).Not.ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#refusal")).Not.ToBeVisibleAsync();

        await ShrinkTierMemoryAsync(tenant, "1Mi");
        await page.Locator("#resume").ClickAsync();

        var refusal = page.Locator("#refusal");
        await Assertions.Expect(refusal).ToBeVisibleAsync();
        await Assertions.Expect(refusal).ToContainTextAsync("Memory:");
        await Assertions.Expect(refusal).ToContainTextAsync("allowed by");
        await page.ScreenshotAsync(new() { Path = Path.Combine(portal.ArtifactsDirectory, "viewer-refusal.png") });
    }

    private async Task ShrinkTierMemoryAsync(string slug, string memory)
    {
        await using var db = await portal.TenantDbAsync(slug);
        var tier = await db.Tiers.SingleAsync(t => t.Name == "pro");
        tier.Change(tier.Limits with { MemoryBytes = Domain.Common.Quantity.ParseBytes(memory) }, tier.Dlp);
        await db.SaveChangesAsync();
    }
}
