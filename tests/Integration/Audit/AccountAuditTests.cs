using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Members;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Audit;

/// <summary>Sign-in, sign-out and sign-up each write exactly one event with who, what, target, address and details.</summary>
public sealed class AccountAuditTests(TwoTenantsPortal portal) : IClassFixture<TwoTenantsPortal>
{
    [Fact]
    public async Task A_sign_in_writes_one_event_with_the_member_and_their_address()
    {
        var member = await AddMemberAsync("signin@acme.test");

        await portal.ClientFor("acme").FromClientAddress().SignInAsync(member.Email!, Passwords.Good);

        var recorded = await AuditRecords.SingleAsync(portal.ContextOf(portal.Acme), AuditActions.SignInSucceeded, "member/signin@acme.test");
        Assert.Equal(("signin@acme.test", member.Id, AuditRecords.ClientAddress, (string?)null), (recorded.Actor, recorded.ActorId, recorded.SourceIp, recorded.Details));
    }

    [Fact]
    public async Task A_wrong_password_writes_one_failed_sign_in_event_naming_the_reason()
    {
        var member = await AddMemberAsync("wrong@acme.test");

        await portal.ClientFor("acme").FromClientAddress().SignInAsync(member.Email!, "not the password");

        var recorded = await AuditRecords.SingleAsync(portal.ContextOf(portal.Acme), AuditActions.SignInFailed, "member/wrong@acme.test");
        Assert.Equal(("wrong@acme.test", member.Id, AuditRecords.ClientAddress, "wrong password"), (recorded.Actor, recorded.ActorId, recorded.SourceIp, recorded.Details));
    }

    [Fact]
    public async Task A_sign_in_with_an_unknown_email_writes_one_failed_event_without_a_member()
    {
        await portal.ClientFor("acme").FromClientAddress().SignInAsync("nobody@acme.test", Passwords.Good);

        var recorded = await AuditRecords.SingleAsync(portal.ContextOf(portal.Acme), AuditActions.SignInFailed, "member/nobody@acme.test");
        Assert.Equal(("nobody@acme.test", (Guid?)null, AuditRecords.ClientAddress, "unknown email"), (recorded.Actor, recorded.ActorId, recorded.SourceIp, recorded.Details));
    }

    [Fact]
    public async Task The_failure_that_locks_an_account_writes_one_lockout_event()
    {
        var member = await AddMemberAsync("lockout@acme.test");
        var client = portal.ClientFor("acme").FromClientAddress();

        for (var attempt = 0; attempt < 5; attempt++)
        {
            await client.SignInAsync(member.Email!, "wrong password " + attempt);
        }

        var recorded = await AuditRecords.SingleAsync(portal.ContextOf(portal.Acme), AuditActions.LockedOut, "member/lockout@acme.test");
        Assert.Equal(("lockout@acme.test", member.Id, AuditRecords.ClientAddress, "account locked"), (recorded.Actor, recorded.ActorId, recorded.SourceIp, recorded.Details));
        await using var db = portal.ContextOf(portal.Acme);
        Assert.Equal(4, await db.AuditEvents.CountAsync(e => e.Action == AuditActions.SignInFailed && e.Target == "member/lockout@acme.test"));
    }

    [Fact]
    public async Task A_sign_out_writes_one_event()
    {
        var member = await AddMemberAsync("signout@acme.test");
        var client = portal.ClientFor("acme").FromClientAddress();
        await client.SignInAsync(member.Email!, Passwords.Good);

        await client.PostFormAsync("/catalog", new Dictionary<string, string>(), postTo: "/logout");

        var recorded = await AuditRecords.SingleAsync(portal.ContextOf(portal.Acme), AuditActions.SignedOut, "member/signout@acme.test");
        Assert.Equal(("signout@acme.test", member.Id, AuditRecords.ClientAddress, (string?)null), (recorded.Actor, recorded.ActorId, recorded.SourceIp, recorded.Details));
    }

    [Fact]
    public async Task A_sign_up_writes_one_tenant_event_and_one_member_event_and_nothing_else()
    {
        await portal.ClientFor(null).FromClientAddress().SignUpAsync("Globex Corporation", "globex", "hank@globex.test", Passwords.Good);

        var globex = await TenantAsync("globex");
        var admin = await AuditRecords.SingleAsync(globex(), AuditActions.MemberSignedUp, "member/hank@globex.test");
        var tenant = await AuditRecords.SingleAsync(globex(), AuditActions.TenantCreated, "tenant/globex");
        Assert.Equal(("hank@globex.test", AuditRecords.ClientAddress, "Globex Corporation"), (tenant.Actor, tenant.SourceIp, tenant.Details));
        Assert.Equal(("hank@globex.test", AuditRecords.ClientAddress, MemberRole.TenantAdmin), (admin.Actor, admin.SourceIp, admin.Details));
        Assert.Equal(admin.ActorId, tenant.ActorId);
        await using var db = globex();
        Assert.Equal(2, await db.AuditEvents.CountAsync());
    }

    private async Task<Member> AddMemberAsync(string email)
    {
        await portal.AddMemberAsync(portal.Acme, email);
        await using var db = portal.ContextOf(portal.Acme);
        return await db.Users.SingleAsync(m => m.Email == email);
    }

    private async Task<Func<Infrastructure.Data.StreamSpaceDb>> TenantAsync(string slug)
    {
        await using var platform = portal.Database.CreateContext();
        var tenant = await platform.Tenants.SingleAsync(t => t.Slug == slug);
        return () =>
        {
            var context = new TenantContext();
            context.Use(tenant);
            return portal.Database.CreateContext(context);
        };
    }
}
