using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using StreamSpace.Domain.Sessions;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.E2E;

/// <summary>
/// The member's home filesystem full (#20 item 6): a 2 MiB tmpfs mounted where the home lives before the first launch. The
/// app's writes fail with ENOSPC, the viewer and the sessions page say the home is full, the session runs on, hibernates
/// and resumes on the full home, and freeing space clears the message.
/// </summary>
[Collection(SharedPortal.Name)]
public sealed partial class HomeFullJourneyTests(RunningPortal portal)
{
    [Fact]
    public async Task A_full_home_fails_the_apps_writes_is_announced_and_breaks_nothing_else()
    {
        var page = await portal.NewPageAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        var (tenant, email) = await Journeys.SignUpAsync(portal, page, "homefull");
        var home = await Journeys.HomeOfAsync(portal, tenant, email);
        var uid = await UidOfAsync(tenant, email);
        Directory.CreateDirectory(Path.GetDirectoryName(home)!);
        Directory.CreateDirectory(home);
        Run("mount", "-t", "tmpfs", "-o", string.Create(CultureInfo.InvariantCulture, $"size=2m,mode=0700,uid={uid},gid={uid}"), "tmpfs", home);
        try
        {
            await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "catalog").ToString());
            await page.GetByRole(AriaRole.Button, new() { Name = "Launch Terminal" }).ClickAsync();
            await page.WaitForURLAsync(ViewerUrl());
            await Viewer.ExpectConnectedAsync(page);
            var sessionId = Guid.Parse(ViewerUrl().Match(page.Url).Groups[1].Value);
            var banner = page.Locator("#home-full-banner");

            // Room to spare: the app saves, and nothing says otherwise.
            await Viewer.TypeAsync(page, "echo roomy > ~/before.txt");
            Assert.Equal("roomy", await Viewer.WaitForFileAsync(Path.Combine(home, "before.txt")));
            await Assertions.Expect(banner).ToBeHiddenAsync();

            // Fill it. The shell can still create a file (tmpfs has inodes to spare) but not write into it: ENOSPC.
            await Viewer.TypeAsync(page, "head -c 4M /dev/zero > ~/fill; echo lost > ~/after-full.txt; echo done > ~/marker");
            var afterFull = Path.Combine(home, "after-full.txt");
            await UntilAsync(() => Task.FromResult(File.Exists(Path.Combine(home, "marker"))), "the shell ran the commands");
            Assert.True(File.Exists(afterFull), "The shell opens the file; only the write fails.");
            Assert.Equal(0, new FileInfo(afterFull).Length);
            Assert.True(new FileInfo(Path.Combine(home, "fill")).Length < 4L << 20, "The fill stopped at the filesystem's size.");

            await Assertions.Expect(banner).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Assertions.Expect(banner).ToContainTextAsync("Your home is full");
            await Journeys.SaveScreenshotAsync(portal, page, "home-full.png");

            var sessionsPage = await page.Context.NewPageAsync();
            await sessionsPage.GotoAsync(new Uri(portal.TenantUrl(tenant), "sessions").ToString());
            await Assertions.Expect(sessionsPage.Locator("#home-full")).ToContainTextAsync("Your home is full");
            Assert.Contains("Xvnc", HostProcesses.NamesOwnedBy(uid));

            // Nothing else breaks: hibernate and resume on the full home, and the stream works.
            await page.GetByRole(AriaRole.Button, new() { Name = "Hibernate" }).ClickAsync();
            await Assertions.Expect(page.Locator("#overlay-title")).ToHaveTextAsync("This session is hibernating.", new() { Timeout = 30_000 });
            Assert.Equal(SessionState.Hibernated, await StateOfAsync(sessionId));
            await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
            await Viewer.ExpectConnectedAsync(page);
            Assert.Equal(SessionState.Running, await StateOfAsync(sessionId));
            await Assertions.Expect(banner).ToBeVisibleAsync(new() { Timeout = 30_000 });

            // Free space: the app saves again and the message goes.
            var proof = Guid.NewGuid().ToString("N");
            await Viewer.TypeAsync(page, $"rm ~/fill; echo {proof} > ~/after-free.txt");
            Assert.Equal(proof, await Viewer.WaitForFileAsync(Path.Combine(home, "after-free.txt")));
            await Assertions.Expect(banner).ToBeHiddenAsync(new() { Timeout = 30_000 });
            await sessionsPage.ReloadAsync();
            await Assertions.Expect(sessionsPage.Locator("#sessions")).ToBeVisibleAsync();
            await Assertions.Expect(sessionsPage.Locator("#home-full")).ToHaveCountAsync(0);

            await page.GetByRole(AriaRole.Button, new() { Name = "Terminate" }).ClickAsync();
            await page.WaitForURLAsync(new Regex("/sessions$"));
            await UntilAsync(async () => await StateOfAsync(sessionId) == SessionState.Terminated, "the session terminated");
        }
        finally
        {
            Run("umount", "--lazy", home);
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(100);
        }
    }

    private static void Run(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)}: {error}");
    }

    private async Task<SessionState> StateOfAsync(Guid sessionId)
    {
        await using var db = portal.Database.CreateContext();
        return await db.Sessions.IgnoreQueryFilters().Where(s => s.Id == sessionId).Select(s => s.State).SingleAsync();
    }

    private async Task<int> UidOfAsync(string tenant, string email)
    {
        await using var db = await portal.TenantDbAsync(tenant);
        return await db.Users.Where(m => m.Email == email).Select(m => m.LocalUid).SingleAsync();
    }

    [GeneratedRegex("/sessions/([0-9a-f-]{36})/view$")]
    private static partial Regex ViewerUrl();
}
