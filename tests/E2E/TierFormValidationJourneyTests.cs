using Microsoft.Playwright;

namespace StreamSpace.Tests.E2E;

/// <summary>The browser's own check of the tier form: Chromium compiles <c>pattern</c> with the <c>v</c> flag, so an invalid one is ignored.</summary>
[Collection(SharedPortal.Name)]
public sealed class TierFormValidationJourneyTests(RunningPortal portal)
{
    [Fact]
    public async Task Chromium_applies_the_tier_name_pattern_and_rejects_a_bad_name_before_posting()
    {
        var admin = await portal.NewPageAsync();
        var console = new List<string>();
        admin.Console += (_, message) => console.Add(message.Text);
        var (tenant, _) = await Journeys.SignUpAsync(portal, admin, "names");
        await admin.GotoAsync(new Uri(portal.TenantUrl(tenant), "admin/tiers").ToString());
        var name = admin.Locator("#name-new");

        await name.FillAsync("Team A");
        var spaced = await name.EvaluateAsync<bool>("input => input.matches(':invalid') && input.validity.patternMismatch");
        await name.FillAsync("team-");
        var trailingHyphen = await name.EvaluateAsync<bool>("input => input.validity.patternMismatch");
        await name.FillAsync("team-a2");
        var good = await name.EvaluateAsync<bool>("input => input.matches(':valid')");

        Assert.DoesNotContain(console, text => text.Contains("pattern", StringComparison.OrdinalIgnoreCase));
        Assert.True(spaced, "\"Team A\" should not match the tier name pattern");
        Assert.True(trailingHyphen, "\"team-\" should not match the tier name pattern");
        Assert.True(good, "\"team-a2\" should match the tier name pattern");
    }
}
