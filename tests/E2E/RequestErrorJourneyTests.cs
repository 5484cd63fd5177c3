using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace StreamSpace.Tests.E2E;

/// <summary>htmx swaps no error response: a POST that failed on the server or on the way says so on the page (#20).</summary>
[Collection(SharedPortal.Name)]
public sealed partial class RequestErrorJourneyTests(RunningPortal portal)
{
    [Fact]
    public async Task A_launch_answered_with_a_server_error_an_outage_or_no_answer_says_what_happened_and_a_later_success_clears_it()
    {
        var page = await portal.NewPageAsync();
        var (tenant, _) = await Journeys.SignUpAsync(portal, page, "errors");
        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "catalog").ToString());
        var error = page.GetByTestId("request-error");
        var launch = page.GetByRole(AriaRole.Button, new() { Name = "Launch Terminal" });
        await Assertions.Expect(error).Not.ToBeVisibleAsync();

        // As the server would fail: a 500 with its error page (never shown), then a 503 with Retry-After, then no answer.
        var answers = new Queue<Func<IRoute, Task>>(
        [
            route => route.FulfillAsync(new() { Status = 500, ContentType = "text/html", Body = "<html><body><h1>Error page</h1></body></html>" }),
            route => route.FulfillAsync(new() { Status = 503, ContentType = "text/html", Body = "<html></html>", Headers = new Dictionary<string, string> { ["Retry-After"] = "7" } }),
            route => route.AbortAsync("connectionrefused"),
        ]);
        await page.RouteAsync(LaunchPost(), route => route.Request.Method == "POST" ? answers.Dequeue()(route) : route.ContinueAsync());

        await launch.ClickAsync();
        await Assertions.Expect(error).ToBeVisibleAsync();

        // Terminal's card is far down the catalog: the message shows where the member is looking, not at the page's top.
        await Assertions.Expect(error).ToBeInViewportAsync();
        await Assertions.Expect(error).ToContainTextAsync("Something went wrong on our side (error 500)");
        await Assertions.Expect(page.GetByText("Error page")).ToHaveCountAsync(0);
        Assert.EndsWith("/catalog", page.Url, StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(portal.ArtifactsDirectory, "request-error.png") });

        await launch.ClickAsync();
        await Assertions.Expect(error).ToContainTextAsync("briefly unavailable (error 503). Nothing was changed; try again in 7 seconds.");

        await launch.ClickAsync();
        await Assertions.Expect(error).ToContainTextAsync("StreamSpace could not be reached");

        // The next request that works (a search) takes the message away.
        await page.GetByLabel("Search applications").FillAsync("term");
        await Assertions.Expect(error).Not.ToBeVisibleAsync();
    }

    [GeneratedRegex(@"handler=Launch", RegexOptions.IgnoreCase)]
    private static partial Regex LaunchPost();
}
