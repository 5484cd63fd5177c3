using System.Text.RegularExpressions;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Runtimes.Containers;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.E2E;

/// <summary>
/// An image template through the whole product on a real engine: a tenant admin imports it, a member launches it from the
/// catalog, it streams into the viewer, takes typing into a file of the member's home, hibernates when left alone (its
/// container gone, the home kept) and resumes with its files.
/// </summary>
[Collection(SharedPortal.Name)]
public sealed partial class ContainerJourneyTests(RunningPortal portal)
{
    private const string DesktopTemplate = """
        apiVersion: stream.space/v1alpha1
        kind: Template
        metadata:
          name: test-desktop
        spec:
          displayName: Test Desktop
          category: Custom
          description: Xvnc and xterm in a container image built by scripts/test-images.sh.
          image: localhost/streamspace-test-rfb:1
          defaultResources:
            memory: 512Mi
            cpu: 500m
          ports:
            - name: vnc
              containerPort: 5900

        """;

    [ContainerEngineFact]
    public async Task A_member_launches_an_image_template_types_into_it_and_it_hibernates_when_idle_and_resumes_with_its_files()
    {
        var page = await portal.NewPageAsync();
        var (tenant, email) = await Journeys.SignUpAsync(portal, page, "ctr");
        await Journeys.ImportTemplateAsync(portal, page, tenant, DesktopTemplate);

        // With an engine, image templates are offered like host apps: no "needs a container engine" anywhere.
        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "catalog").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Launch Firefox", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-not-on-this-runtime]")).ToHaveCountAsync(0);
        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "catalog?q=test-desktop").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Launch Test Desktop" }).ClickAsync();
        await page.WaitForURLAsync(ViewerUrl(), new() { Timeout = 60_000 });
        await Viewer.ExpectConnectedAsync(page, 60_000);
        var sessionId = Guid.Parse(ViewerUrl().Match(page.Url).Groups[1].Value);
        Assert.Equal(SessionRuntimeKind.Container, await RuntimeOfAsync(sessionId));
        using var docker = Engine();
        Assert.Single(await ContainersOfAsync(docker, sessionId));

        var lit = await Viewer.NonBlackPixelsAsync(page);
        Assert.True(lit > 50_000, $"The canvas shows almost nothing ({lit} non-black pixels).");
        var proof = Guid.NewGuid().ToString("N");
        await Viewer.TypeAsync(page, $"echo {proof} > ~/proof.txt");
        var home = await Journeys.HomeOfAsync(portal, tenant, email);
        Assert.Equal(proof, await Viewer.WaitForFileAsync(Path.Combine(home, "proof.txt")));
        await Journeys.SaveScreenshotAsync(portal, page, "container-viewer.png");

        // Left alone with the tab open: the countdown, then hibernation; the container goes, the home stays.
        await Journeys.ShortenIdleTimeoutAsync(portal, tenant, TimeSpan.FromSeconds(30));
        await Assertions.Expect(page.Locator("#idle-banner")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#overlay-title")).ToHaveTextAsync("This session is hibernating.", new() { Timeout = 90_000 });
        await WaitForStateAsync(sessionId, SessionState.Hibernated);
        Assert.Empty(await ContainersOfAsync(docker, sessionId));
        Assert.True(File.Exists(Path.Combine(home, "proof.txt")));

        await Journeys.ShortenIdleTimeoutAsync(portal, tenant, TimeSpan.FromMinutes(30));
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Viewer.ExpectConnectedAsync(page, 60_000);
        await Viewer.TypeAsync(page, "cp ~/proof.txt ~/proof2.txt");
        Assert.Equal(proof, await Viewer.WaitForFileAsync(Path.Combine(home, "proof2.txt")));
        Assert.Single(await ContainersOfAsync(docker, sessionId));

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Terminate" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/sessions$"));
        await WaitForStateAsync(sessionId, SessionState.Terminated);
        Assert.Empty(await ContainersOfAsync(docker, sessionId));
    }

    private const string WebClientTemplate = """
        apiVersion: stream.space/v1alpha1
        kind: Template
        metadata:
          name: test-web-client
        spec:
          displayName: Test Web Client
          category: Custom
          description: A Selkies-shaped web client in a container image built by scripts/test-images.sh.
          image: localhost/streamspace-test-http:1
          defaultResources:
            memory: 256Mi
            cpu: 500m
          ports:
            - name: http
              containerPort: 3000

        """;

    [ContainerEngineFact]
    public async Task A_member_launches_an_http_image_template_types_into_its_web_client_and_an_open_tab_without_input_hibernates_and_resumes()
    {
        var page = await portal.NewPageAsync();
        var (tenant, email) = await Journeys.SignUpAsync(portal, page, "web");
        await Journeys.ImportTemplateAsync(portal, page, tenant, WebClientTemplate);

        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "catalog?q=test-web-client").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Launch Test Web Client" }).ClickAsync();
        await page.WaitForURLAsync(ViewerUrl(), new() { Timeout = 60_000 });
        var sessionId = Guid.Parse(ViewerUrl().Match(page.Url).Groups[1].Value);
        var app = page.FrameLocator("iframe.viewer-app");
        await Assertions.Expect(app.Locator("#state")).ToHaveTextAsync("connected", new() { Timeout = 60_000 });
        Assert.Equal(SessionRuntimeKind.Container, await RuntimeOfAsync(sessionId));
        using var docker = Engine();
        Assert.Single(await ContainersOfAsync(docker, sessionId));

        // Keys typed in the frame travel as Selkies messages through the proxy to the app in the container.
        await app.Locator("#typed").ClickAsync();
        await page.Keyboard.TypeAsync("contained");
        var typed = Path.Combine(await Journeys.HomeOfAsync(portal, tenant, email), "typed.txt");
        Assert.Equal("contained", await Viewer.WaitForFileAsync(typed, "contained"));

        // The tab stays open and its WebSocket stays connected, yet no input: the countdown, then hibernation.
        await Journeys.ShortenIdleTimeoutAsync(portal, tenant, TimeSpan.FromSeconds(30));
        await Assertions.Expect(page.Locator("#idle-banner")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Journeys.SaveScreenshotAsync(portal, page, "container-app-countdown.png");
        await WaitForStateAsync(sessionId, SessionState.Hibernated, TimeSpan.FromSeconds(150));
        Assert.Empty(await ContainersOfAsync(docker, sessionId));
        await Assertions.Expect(page.Locator("iframe.viewer-app")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        Assert.Equal("contained", await File.ReadAllTextAsync(typed));

        await Journeys.ShortenIdleTimeoutAsync(portal, tenant, TimeSpan.FromMinutes(30));
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Assertions.Expect(app.Locator("#state")).ToHaveTextAsync("connected", new() { Timeout = 60_000 });
        await app.Locator("#typed").ClickAsync();
        await page.Keyboard.TypeAsync("!");
        Assert.Equal("contained!", await Viewer.WaitForFileAsync(typed, "contained!"));
        Assert.Single(await ContainersOfAsync(docker, sessionId));
    }

    private static DockerClient Engine() =>
        new DockerClientBuilder().WithEndpoint(ContainerEngine.Resolve(null, Environment.GetEnvironmentVariable, File.Exists)!).Build();

    private static async Task<IList<ContainerListResponse>> ContainersOfAsync(DockerClient docker, Guid sessionId) =>
        await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"stream.space/session={sessionId:D}"] = true } },
        });

    private async Task<SessionRuntimeKind> RuntimeOfAsync(Guid sessionId)
    {
        await using var db = portal.Database.CreateContext();
        return await db.Sessions.IgnoreQueryFilters().Where(s => s.Id == sessionId).Select(s => s.Runtime).SingleAsync();
    }

    private async Task WaitForStateAsync(Guid sessionId, SessionState state, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            await using var db = portal.Database.CreateContext();
            if (await db.Sessions.IgnoreQueryFilters().Where(s => s.Id == sessionId).Select(s => s.State).SingleAsync() == state)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Session {sessionId} did not become {state}.");
            await Task.Delay(200);
        }
    }

    [GeneratedRegex("/sessions/([0-9a-f-]{36})/view$")]
    private static partial Regex ViewerUrl();
}
