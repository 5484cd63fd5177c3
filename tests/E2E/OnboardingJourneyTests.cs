using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace StreamSpace.Tests.E2E;

[Collection(SharedPortal.Name)]
public sealed class OnboardingJourneyTests(RunningPortal portal)
{
    [Fact]
    public async Task A_new_organisation_signs_up_lands_on_its_portal_signs_out_and_signs_in_again()
    {
        var page = await portal.NewPageAsync();
        var (tenant, email) = await Journeys.SignUpAsync(portal, page);

        await Assertions.Expect(page.Locator("#welcome")).ToHaveTextAsync($"Welcome, {email}");
        await Assertions.Expect(page.GetByTestId("tenant-name")).ToHaveTextAsync("Example Industries");

        await page.GetByRole(AriaRole.Link, new() { Name = "Catalog", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-template=xterm]")).ToBeVisibleAsync();
        await Journeys.SaveScreenshotAsync(portal, page, "portal.png");

        await page.Locator("#user-menu").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/login"));

        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Journeys.Password);
        await Journeys.SaveScreenshotAsync(portal, page, "login.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(portal.TenantUrl(tenant).ToString());
        await Assertions.Expect(page.Locator("#welcome")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_taken_tenant_id_is_reported_while_typing()
    {
        var page = await portal.NewPageAsync();
        await page.GotoAsync(new Uri(portal.BareUrl, "signup").ToString());

        await page.GetByLabel("Tenant id").PressSequentiallyAsync("platform");

        await Assertions.Expect(page.Locator("#tenant-id-help")).ToContainTextAsync("reserved");
    }
}
