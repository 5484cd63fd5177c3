using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using StreamSpace.Domain.Members;
using StreamSpace.Infrastructure.Identity;

namespace StreamSpace.Tests.E2E;

/// <summary>Steps several journeys share, done the way a person does them.</summary>
public static class Journeys
{
    public const string Password = "a long enough password";

    /// <summary>Signs up a new organisation with a unique tenant id and waits for its portal; returns (tenant, e-mail).</summary>
    public static async Task<(string Tenant, string Email)> SignUpAsync(RunningPortal portal, IPage page, string prefix = "e2e")
    {
        var tenant = prefix + Guid.NewGuid().ToString("N")[..8];
        var email = $"founder@{tenant}.test";
        await page.GotoAsync(new Uri(portal.BareUrl, "signup").ToString());
        await page.GetByLabel("Organisation name").FillAsync("Example Industries");
        await page.GetByLabel("Tenant id").FillAsync(tenant);
        await page.GetByLabel("Your email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create organisation" }).ClickAsync();
        await page.WaitForURLAsync(portal.TenantUrl(tenant).ToString());
        return (tenant, email);
    }

    public static async Task SignInAsync(RunningPortal portal, IPage page, string tenant, string email)
    {
        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "login").ToString());
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(portal.TenantUrl(tenant).ToString());
    }

    /// <summary>Adds a member with the <c>user</c> role and <see cref="Password"/> to the tenant, straight into the database.</summary>
    public static async Task AddMemberAsync(RunningPortal portal, string tenant, string email)
    {
        ArgumentNullException.ThrowIfNull(portal);
        await using var db = await portal.TenantDbAsync(tenant);
        var member = Member.Create(email, email, MemberRole.User, null, DateTimeOffset.UtcNow);
        member.NormalizedEmail = member.NormalizedUserName = email.ToUpperInvariant();
        member.SecurityStamp = Guid.NewGuid().ToString("N");
        member.PasswordHash = new PasswordHasher<Member>().HashPassword(member, Password);
        db.Users.Add(member);
        await db.SaveChangesAsync();
    }

    /// <summary>Imports a template the way a tenant admin does: pasted into the import form of the signed-in admin's portal.</summary>
    public static async Task ImportTemplateAsync(RunningPortal portal, IPage page, string tenant, string yaml)
    {
        ArgumentNullException.ThrowIfNull(portal);
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "admin/templates/import").ToString());
        await page.GetByLabel("Template YAML").FillAsync(yaml);
        await page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/admin/templates($|\\?)"));
    }

    /// <summary>Shortens the idle timeout of the tenant's <c>pro</c> tier (the founder's), as a tenant admin's edit would.</summary>
    public static async Task ShortenIdleTimeoutAsync(RunningPortal portal, string slug, TimeSpan idle)
    {
        ArgumentNullException.ThrowIfNull(portal);
        await using var db = await portal.TenantDbAsync(slug);
        var tier = await db.Tiers.SingleAsync(t => t.Name == "pro");
        tier.Change(tier.Limits with { IdleTimeout = idle }, tier.Dlp);
        await db.SaveChangesAsync();
    }

    /// <summary>Where the member's home lives on this machine (the local runtime's data directory), for checking their files.</summary>
    public static async Task<string> HomeOfAsync(RunningPortal portal, string tenant, string email)
    {
        ArgumentNullException.ThrowIfNull(portal);
        await using var db = await portal.TenantDbAsync(tenant);
        var memberId = await db.Users.Where(m => m.Email == email).Select(m => m.Id).SingleAsync();
        return Path.Combine(portal.DataDirectory, "homes", tenant, memberId.ToString("D"));
    }

    public static async Task SaveScreenshotAsync(RunningPortal portal, IPage page, string name)
    {
        var bytes = await page.ScreenshotAsync();
        await File.WriteAllBytesAsync(Path.Combine(portal.ArtifactsDirectory, name), bytes);
        var docsImages = Path.Combine(RunningPortal.RepositoryRoot, "docs", "images");
        if (Directory.Exists(docsImages))
        {
            await File.WriteAllBytesAsync(Path.Combine(docsImages, name), bytes);
        }
    }
}
