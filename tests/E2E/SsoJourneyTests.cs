using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using StreamSpace.Domain.Members;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.E2E;

/// <summary>
/// A tenant admin connects the organisation's identity provider (a second OpenIddict server with a login form, on 127.0.0.1 over
/// real http), and a colleague signs in through it in Chromium: created just in time, role and tier from their groups.
/// </summary>
[Collection(SharedPortal.Name)]
public sealed class SsoJourneyTests(RunningPortal portal)
{
    [Fact]
    public async Task A_colleague_signs_in_through_the_provider_an_admin_added_and_gets_the_role_and_tier_of_their_groups_at_every_sign_in()
    {
        await using var upstream = await UpstreamIdentityProvider.StartAsync();
        var page = await portal.NewPageAsync();
        var (tenant, _) = await Journeys.SignUpAsync(portal, page, "sso");
        var callback = new Uri(portal.TenantUrl(tenant), "sso/callback");
        await upstream.RegisterClientAsync(callback);
        var email = $"eve@{tenant}.test";
        var eve = new UpstreamAccount("eve", "eve's upstream password", "upstream-eve", email, "Eve Example", ["staff", "ops-admins"]);
        upstream.Enrol(eve);

        // The admin registers the provider: the page names the redirect URI to give the provider, then checks the issuer.
        await page.GotoAsync(new Uri(portal.TenantUrl(tenant), "admin/sso").ToString());
        await Assertions.Expect(page.Locator("#redirect-uri")).ToHaveTextAsync(callback.ToString());
        await page.GetByLabel("Provider name").FillAsync("Example ID");
        await page.GetByLabel("Issuer").FillAsync(upstream.Issuer.ToString());
        await page.GetByLabel("Client id").FillAsync(UpstreamIdentityProvider.ClientId);
        await page.GetByLabel("Client secret").FillAsync(UpstreamIdentityProvider.ClientSecret);
        await page.GetByLabel("Scopes").FillAsync("openid profile email groups");
        await page.GetByLabel("Groups claim").FillAsync("groups");
        await page.GetByLabel("Group of tenant admins").FillAsync("ops-admins");
        await page.GetByLabel("Tiers by group").FillAsync("staff=pro");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Remove provider" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Assertions.Expect(page.Locator("#sso-test")).ToHaveTextAsync("The provider's discovery document looks right.");
        await SignOutAsync(page);

        // Eve signs in at the provider's own form and comes back signed in: a tenant admin on the pro tier.
        await SignInWithProviderAsync(page, tenant, upstream, eve);
        await Assertions.Expect(page.Locator("#welcome")).ToHaveTextAsync("Welcome, Eve Example");
        await Assertions.Expect(page.Locator("#user-menu")).ToContainTextAsync(email);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true })).ToBeVisibleAsync();
        Assert.Equal((MemberRole.TenantAdmin, "pro"), await RoleAndTierAsync(tenant, email));

        // Her groups change upstream; at her next sign-in (the provider remembers her, so no form) she is a user on free.
        upstream.Enrol(eve with { Groups = ["contractors"] });
        await SignOutAsync(page);
        await SignInWithProviderAsync(page, tenant, upstream, account: null);
        await Assertions.Expect(page.Locator("#welcome")).ToHaveTextAsync("Welcome, Eve Example");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true })).ToHaveCountAsync(0);
        await page.Locator("#user-menu").ClickAsync();
        await Assertions.Expect(page.Locator(".dropdown-menu .dropdown-item-text")).ToHaveTextAsync(MemberRole.User);
        Assert.Equal((MemberRole.User, "free"), await RoleAndTierAsync(tenant, email));

        await using var db = await portal.TenantDbAsync(tenant);
        var member = await db.Users.SingleAsync(m => m.Email == email);
        var link = await db.ExternalLogins.SingleAsync(l => l.MemberId == member.Id);
        Assert.Equal(("upstream-eve", upstream.Issuer.ToString()), (link.Subject, link.Issuer));
    }

    private static async Task SignOutAsync(IPage page)
    {
        await page.Locator("#user-menu").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/login"));
    }

    /// <summary>From the tenant's login page through the provider; <paramref name="account"/> types at its form, null: it remembers them.</summary>
    private async Task SignInWithProviderAsync(IPage page, string tenant, UpstreamIdentityProvider upstream, UpstreamAccount? account)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Example ID" }).ClickAsync();
        if (account is not null)
        {
            await page.WaitForURLAsync(url => url.StartsWith(new Uri(upstream.Issuer, UpstreamIdentityProvider.LoginPath).ToString(), StringComparison.Ordinal));
            await Assertions.Expect(page.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Sign in to Upstream");
            await page.GetByLabel("Username").FillAsync(account.Username);
            await page.GetByLabel("Password").FillAsync(account.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        }

        await page.WaitForURLAsync(portal.TenantUrl(tenant).ToString());
    }

    private async Task<(string Role, string? Tier)> RoleAndTierAsync(string tenant, string email)
    {
        await using var db = await portal.TenantDbAsync(tenant);
        var member = await db.Users.SingleAsync(m => m.Email == email);
        return (member.Role, await db.Tiers.Where(t => t.Id == member.TierId).Select(t => t.Name).SingleOrDefaultAsync());
    }
}
