using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace StreamSpace.Tests.E2E;

/// <summary>
/// Every admin, member and operator page at a phone's width (390×844): nothing scrolls sideways, and each page's primary
/// actions (and every other visible button) lie within the screen's width.
/// </summary>
[Collection(SharedPortal.Name)]
public sealed partial class PhoneWidthJourneyTests(RunningPortal portal)
{
    private const int Width = 390;

    /// <summary>Every page is checked before the test fails, so one run names every page that does not fit.</summary>
    private readonly List<string> _problems = [];

    /// <summary>Buttons wider than the screen, or starting or ending outside it, and the page's own width.</summary>
    private const string Layout = """
        () => {
          const w = window.innerWidth;
          const outside = [...document.querySelectorAll('.btn, button, input[type=submit]')]
            .filter(e => e.checkVisibility() && !e.closest('.dropdown-menu:not(.show), .collapse:not(.show)'))
            .map(e => ({ e, r: e.getBoundingClientRect() }))
            .filter(({ r }) => r.width > 0 && (r.left < -0.5 || r.right > w + 0.5))
            .map(({ e, r }) => `${(e.innerText || e.value || e.getAttribute('aria-label') || e.id).trim()} [${Math.round(r.left)}..${Math.round(r.right)}]`);
          // The innermost elements reaching past the right edge, to name in a failure.
          const wide = [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > w + 0.5 && ![...e.children].some(c => c.getBoundingClientRect().right > w + 0.5))
            .slice(0, 4).map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${[...e.classList].join('.')}`);
          return { scrollWidth: document.scrollingElement.scrollWidth, innerWidth: w, outside, wide };
        }
        """;

    private const string ContrastFunction = """
        e => {
          const rgba = s => { const [r, g, b, a = 1] = s.match(/[\d.]+/g).map(Number); return [r, g, b, a]; };
          const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          let bg = e; while (bg && (getComputedStyle(bg).backgroundColor === 'rgba(0, 0, 0, 0)' || getComputedStyle(bg).backgroundColor === 'transparent')) bg = bg.parentElement;
          // Text with alpha (Bootstrap's body-secondary and -tertiary) is blended over its background first.
          const back = rgba(getComputedStyle(bg ?? document.body).backgroundColor);
          const fore = rgba(getComputedStyle(e).color);
          const blended = fore.slice(0, 3).map((v, i) => v * fore[3] + back[i] * (1 - fore[3]));
          const [a, b] = [lum(blended), lum(back.slice(0, 3))];
          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        }
        """;

    [Fact]
    public async Task Every_page_fits_a_phone_and_its_actions_are_on_screen()
    {
        var admin = await PhoneAsync();
        var (tenant, _) = await Journeys.SignUpAsync(portal, admin, "phone");
        var site = portal.TenantUrl(tenant);
        string At(string path) => new Uri(site, path).ToString();

        // The data the pages show: a session, a long unbroken API-client name, a template error echoing a 5,000-character name.
        await admin.GotoAsync(At("catalog"));
        await admin.GetByRole(AriaRole.Button, new() { Name = "Launch Terminal" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#status")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });
        await AssertFitsAsync(admin, "viewer", "Hibernate", "Terminate");
        var terminateContrast = await admin.Locator("#terminate").EvaluateAsync<double>(ContrastFunction);
        if (terminateContrast < 4.5)
        {
            _problems.Add($"Terminate's contrast on the toolbar is {terminateContrast:0.00}:1");
        }
        await Journeys.SaveScreenshotAsync(portal, admin, "phone-viewer.png");

        await admin.GotoAsync(At("admin/api-clients"));
        await admin.GetByLabel("Name").FillAsync(new string('c', 100));
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create client" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#created-client")).ToBeVisibleAsync();
        await AssertFitsAsync(admin, "api clients with a long name", "Create client");
        if (await admin.GetByLabel("Name").InputValueAsync() is { Length: > 0 } kept)
        {
            _problems.Add($"the Name field kept {kept.Length} characters after the client was created");
        }

        await admin.GotoAsync(At("admin/templates/edit"));
        await admin.GetByLabel("Name", new() { Exact = true }).FillAsync(new string('n', 5000));
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create template" }).ClickAsync();
        // The form's own refusal; the request-error box would mean a server error instead.
        await Assertions.Expect(admin.Locator(".is-invalid, .alert-danger:not(#request-error)").First).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByTestId("request-error")).Not.ToBeVisibleAsync();
        await AssertFitsAsync(admin, "template editor with a 5,000-character name refused", "Create template");

        // Admin pages, each with the action it is for.
        (string Path, string[] Actions)[] adminPages =
        [
            ("admin", []),
            ("admin/members", ["Invite", "Import User YAML", "Export all"]),
            ("admin/members/import", ["Import"]),
            ("admin/tiers", ["Create tier"]),
            ("admin/templates", ["New template", "Import YAML"]),
            ("admin/templates/edit", ["Create template"]),
            ("admin/templates/import", ["Import"]),
            ("admin/sessions", []),
            ("admin/usage", ["By template", "By member"]),
            ("admin/audit", ["Filter", "Clear", "Download CSV"]),
            ("admin/sso", ["Save", "Test connection"]),
            ("admin/api-clients", ["Create client"]),
            ("catalog", ["Launch Terminal"]),
            ("sessions", []),
        ];
        foreach (var (path, actions) in adminPages)
        {
            await admin.GotoAsync(At(path));
            await AssertFitsAsync(admin, path, actions);
        }

        // The tier editor opens inside the (stacked) table: its fields and Save are on screen.
        await admin.GotoAsync(At("admin/tiers"));
        await admin.GetByRole(AriaRole.Link, new() { Name = "Edit pro" }).ClickAsync();
        var editor = admin.Locator("tr[data-tier=pro].table-active");
        await Assertions.Expect(editor.GetByLabel("Concurrent sessions")).ToBeVisibleAsync();
        await AssertFitsAsync(admin, "tier editor", "Save", "Cancel");
        foreach (var label in new[] { "Memory", "CPU", "Concurrent sessions", "Home storage", "Max session duration", "Idle timeout" })
        {
            await AssertWithinWidthAsync(editor.GetByLabel(label, new() { Exact = true }), $"tier editor field {label}");
        }

        await Journeys.SaveScreenshotAsync(portal, admin, "phone-tier-editor.png");

        // The member's own pages.
        var email = $"mo@{tenant}.test";
        await Journeys.AddMemberAsync(portal, tenant, email);
        var member = await PhoneAsync();
        await Journeys.SignInAsync(portal, member, tenant, email);
        foreach (var (path, actions) in new (string, string[])[] { ("catalog", ["Launch Terminal"]), ("sessions", []) })
        {
            await member.GotoAsync(At(path));
            await AssertFitsAsync(member, "member " + path, actions);
        }

        var hourly = member.Locator("#usage span");
        var hourlyContrast = await hourly.EvaluateAsync<double>(ContrastFunction);
        if (hourlyContrast < 4.5)
        {
            _problems.Add($"'(updated hourly)' has a contrast of {hourlyContrast:0.00}:1");
        }

        // The operator's pages.
        var (operatorEmail, operatorPassword) = await OperatorAccountAsync();
        var operatorPage = await PhoneAsync();
        var platform = portal.TenantUrl("platform");
        await operatorPage.GotoAsync(new Uri(platform, "login").ToString());
        await operatorPage.GetByLabel("Email").FillAsync(operatorEmail);
        await operatorPage.GetByLabel("Password").FillAsync(operatorPassword);
        await operatorPage.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await operatorPage.WaitForURLAsync(platform.ToString());
        foreach (var path in new[] { "platform", "platform/health" })
        {
            await operatorPage.GotoAsync(new Uri(platform, path).ToString());
            await AssertFitsAsync(operatorPage, "operator " + path);
        }

        Assert.True(_problems.Count == 0, string.Join(Environment.NewLine, _problems));
    }

    private async Task<IPage> PhoneAsync()
    {
        var context = await portal.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            // Not IsMobile: a mobile viewport may zoom out to fit a wide page, and innerWidth would grow with it.
            ViewportSize = new ViewportSize { Width = Width, Height = 844 },
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    private async Task AssertFitsAsync(IPage page, string name, params string[] actions)
    {
        var layout = await page.EvaluateAsync<System.Text.Json.JsonElement>(Layout);
        var (scrollWidth, innerWidth) = (layout.GetProperty("scrollWidth").GetInt32(), layout.GetProperty("innerWidth").GetInt32());
        var outside = layout.GetProperty("outside").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(Width, innerWidth);
        var wide = string.Join(", ", layout.GetProperty("wide").EnumerateArray().Select(e => e.GetString()));
        if (scrollWidth > innerWidth)
        {
            _problems.Add($"{name} is {scrollWidth}px wide on a {innerWidth}px screen ({wide})");
        }

        if (outside.Count > 0)
        {
            _problems.Add($"{name}: buttons outside the screen: {string.Join("; ", outside)}");
        }

        foreach (var action in actions)
        {
            var control = page.GetByRole(AriaRole.Button, new() { Name = action, Exact = true })
                .Or(page.GetByRole(AriaRole.Link, new() { Name = action, Exact = true })).First;
            await Assertions.Expect(control).ToBeVisibleAsync();
            await AssertWithinWidthAsync(control, $"{name}: {action}");
        }
    }

    private async Task AssertWithinWidthAsync(ILocator control, string name)
    {
        await control.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(control).ToBeInViewportAsync();
        var box = await control.BoundingBoxAsync();
        Assert.NotNull(box);
        if (box.X < 0 || box.X + box.Width > Width)
        {
            _problems.Add($"{name} spans {box.X:0}..{box.X + box.Width:0} on a {Width}px screen");
        }
    }

    /// <summary>The operator's account as <c>setup</c> printed it into its log.</summary>
    private async Task<(string Email, string Password)> OperatorAccountAsync()
    {
        var log = await File.ReadAllTextAsync(Path.Combine(portal.ArtifactsDirectory, "setup.log"));
        var match = OperatorLine().Match(log);
        Assert.True(match.Success, "setup.log names no operator account");
        return (match.Groups[1].Value, match.Groups[2].Value);
    }

    [GeneratedRegex(@"Operator\s+\S+/login\s+(\S+) / (\S+)")]
    private static partial Regex OperatorLine();
}
