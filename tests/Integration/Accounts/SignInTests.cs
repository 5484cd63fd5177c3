using System.Net;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Accounts;

public sealed class SignInTests(TwoTenantsPortal portal) : IClassFixture<TwoTenantsPortal>
{
    [Fact]
    public async Task The_right_password_signs_in_and_is_audited()
    {
        var client = portal.ClientFor("acme");

        var response = await client.SignInAsync(TwoTenantsPortal.AcmeAdmin, Passwords.Good);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Welcome", await client.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.Contains(AuditActions.SignInSucceeded, await ActionsAsync());
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_message_and_audited()
    {
        var response = await portal.ClientFor("initech").SignInAsync(TwoTenantsPortal.InitechAdmin, "not the password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("do not match an account", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = portal.ContextOf(portal.Initech);
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == AuditActions.SignInFailed && e.Actor == TwoTenantsPortal.InitechAdmin));
    }

    [Fact]
    public async Task A_member_of_another_tenant_cannot_sign_in_here()
    {
        var response = await portal.ClientFor("acme").SignInAsync(TwoTenantsPortal.InitechAdmin, Passwords.Good);

        Assert.Contains("do not match an account", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var email = "locked@acme.test";
        await portal.AddMemberAsync(portal.Acme, email);
        var client = portal.ClientFor("acme");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await client.SignInAsync(email, "wrong password " + attempt);
        }

        var response = await client.SignInAsync(email, Passwords.Good);

        Assert.Contains("locked for 15 minutes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/catalog")).StatusCode);
        await using var db = portal.ContextOf(portal.Acme);
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == AuditActions.LockedOut && e.Actor == email));
    }

    [Fact]
    public async Task Signing_in_on_the_bare_host_asks_for_the_organisation_and_hands_over_to_its_host()
    {
        var bare = portal.ClientFor(null);
        Assert.Contains("Organisation", await bare.GetStringAsync("/login"), StringComparison.Ordinal);

        var response = await bare.SignInAsync(TwoTenantsPortal.AcmeAdmin, Passwords.Good, organisation: "acme");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = response.Headers.Location!;
        Assert.Equal("acme.localhost", target.Host);
        var tenantClient = portal.ClientFor("acme");
        await tenantClient.GetAsync(target.PathAndQuery);
        Assert.Contains("Welcome", await tenantClient.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_organisation_on_the_bare_host_is_named_in_the_error()
    {
        var response = await portal.ClientFor(null).SignInAsync(TwoTenantsPortal.AcmeAdmin, Passwords.Good, organisation: "nowhere");

        Assert.Contains("There is no organisation \"nowhere\"", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_handover_ticket_works_once_and_only_on_its_own_tenant()
    {
        var response = await portal.ClientFor(null).SignInAsync(TwoTenantsPortal.AcmeAdmin, Passwords.Good, organisation: "acme");
        var ticketPath = response.Headers.Location!.PathAndQuery;

        var onOtherTenant = portal.ClientFor("initech");
        Assert.Equal("/login", (await onOtherTenant.GetAsync(ticketPath)).Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await onOtherTenant.GetAsync("/catalog")).StatusCode);

        var first = portal.ClientFor("acme");
        Assert.Equal("/", (await first.GetAsync(ticketPath)).Headers.Location!.ToString());
        var second = portal.ClientFor("acme");
        Assert.Equal("/login", (await second.GetAsync(ticketPath)).Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/catalog")).StatusCode);
    }

    [Fact]
    public async Task A_forged_ticket_signs_nobody_in()
    {
        var client = portal.ClientFor("acme");

        var response = await client.GetAsync("/signin-ticket?ticket=CfDJ8forged");

        Assert.Equal("/login", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Signing_out_ends_the_session_cookie()
    {
        var client = portal.ClientFor("acme");
        await client.SignInAsync(TwoTenantsPortal.AcmeAdmin, Passwords.Good);

        var response = await client.PostFormAsync("/", new Dictionary<string, string>(), handlerQuery: null, htmx: false, postTo: "/logout");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/catalog")).StatusCode);
        Assert.Contains(AuditActions.SignedOut, await ActionsAsync());
    }

    private async Task<List<string>> ActionsAsync()
    {
        await using var db = portal.ContextOf(portal.Acme);
        return await db.AuditEvents.Select(e => e.Action).ToListAsync();
    }
}
