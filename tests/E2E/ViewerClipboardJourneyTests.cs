using Microsoft.Playwright;

namespace StreamSpace.Tests.E2E;

/// <summary>The viewer's clipboard menu as a member uses it: send, see that it was sent, close it with Esc.</summary>
[Collection(SharedPortal.Name)]
public sealed class ViewerClipboardJourneyTests(RunningPortal portal)
{
    [Fact]
    public async Task Sending_text_from_the_clipboard_menu_says_sent_and_esc_then_closes_the_menu_instead_of_reaching_the_session()
    {
        var page = await portal.NewPageAsync();
        var (tenant, _) = await Journeys.SignUpAsync(portal, page, "clip");
        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "catalog").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Launch Terminal" }).ClickAsync();
        await Viewer.ExpectConnectedAsync(page);

        await page.Locator("#clipboard-button").ClickAsync();
        var menu = page.Locator("#clipboard-menu .dropdown-menu");
        await Assertions.Expect(menu).ToBeVisibleAsync();
        await page.Locator("#clipboard-text").FillAsync("pasted from the menu");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send to session" }).ClickAsync();

        await Assertions.Expect(page.Locator("#clipboard-send")).ToHaveTextAsync("Sent");
        Assert.True(await page.EvaluateAsync<bool>("() => document.getElementById('clipboard-menu').contains(document.activeElement)"),
            "After sending, the keyboard focus left the menu, so Esc would go to the session.");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(menu).Not.ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#clipboard-send")).ToHaveTextAsync("Send to session", new() { Timeout = 5_000 });
    }
}
