using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Tests.E2E;

[Collection(SharedPortal.Name)]
public sealed partial class IdleCountdownJourneyTests(RunningPortal portal)
{
    [Fact]
    public async Task The_countdown_banner_appears_keep_working_buys_time_and_an_idle_session_then_hibernates()
    {
        var page = await portal.NewPageAsync();
        var (tenant, _) = await Journeys.SignUpAsync(portal, page, "idle");

        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "catalog").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Launch Terminal" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });

        // The tier's idle timeout is far outside the five-minute warning: no countdown yet, also after the first ticks.
        var banner = page.Locator("#idle-banner");
        await page.WaitForTimeoutAsync(2_000);
        await Assertions.Expect(banner).Not.ToBeVisibleAsync();

        // Forty seconds is inside the warning, so the banner shows with the next status refresh (every 15 s).
        await Journeys.ShortenIdleTimeoutAsync(portal, tenant, TimeSpan.FromSeconds(40));
        await Assertions.Expect(banner).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#idle-reason")).ToHaveTextAsync("idle 40s");

        // Let the countdown run down a few seconds (a condition, not a fixed sleep), so Keep working has time to give back.
        var shown = await SecondsLeftAsync(page);
        await Assertions.Expect(page.Locator("#idle-countdown")).ToHaveTextAsync(CountdownAtMost(shown - 5), new() { Timeout = 20_000 });
        var before = await SecondsLeftAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Keep working" }).ClickAsync();

        await Assertions.Expect(page.Locator("#idle-countdown")).Not.ToHaveTextAsync(CountdownAtMost(before), new() { Timeout = 5_000 });
        Assert.True(await SecondsLeftAsync(page) > before + 3, "Keep working did not move the hibernation later.");
        await Journeys.SaveScreenshotAsync(portal, page, "idle-countdown.png");

        await Assertions.Expect(page.Locator("#overlay-title")).ToHaveTextAsync("This session is hibernating.", new() { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("#overlay-detail")).ToContainTextAsync("It hibernated after 40s without input.");
        Assert.Equal("idle 40s", await HibernateReasonAsync(tenant));
    }

    private static async Task<int> SecondsLeftAsync(IPage page)
    {
        var parts = (await page.Locator("#idle-countdown").InnerTextAsync()).Split(':');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture) * 60) + int.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    /// <summary>Any countdown reading at or below <paramref name="seconds"/> (so "not this" means it went up).</summary>
    private static Regex CountdownAtMost(int seconds) =>
        new($"^({string.Join('|', Enumerable.Range(0, seconds + 1).Select(s => $"{s / 60}:{s % 60:00}"))})$");

    private async Task<string?> HibernateReasonAsync(string slug)
    {
        await using var db = await portal.TenantDbAsync(slug);
        return await db.Sessions.Where(s => s.State == SessionState.Hibernated).Select(s => s.HibernateReason).SingleAsync();
    }

}
