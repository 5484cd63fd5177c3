using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Members;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>
/// Issue 15 item 15: a sign-in does the same work whether or not the e-mail has an account, so its timing tells nothing. The
/// work is counted (password checks), not timed.
/// </summary>
public sealed class IdentitySignInTimingTests(IdentityPasswordPortal portal) : IClassFixture<IdentityPasswordPortal>
{
    private const string WrongCredentials = "That email and password do not match an account here.";

    [Fact]
    public async Task A_sign_in_with_an_unknown_email_checks_a_password_once_as_a_wrong_password_does()
    {
        await portal.AddMemberAsync(portal.Acme, "known@acme.test");

        var (wrongPassword, wrongPasswordChecks) = await SignInAsync("known@acme.test", "not the password at all");
        var (unknownEmail, unknownEmailChecks) = await SignInAsync("nobody@acme.test", "not the password at all");

        Assert.Equal(1, wrongPasswordChecks);
        Assert.Equal(1, unknownEmailChecks);
        Assert.Contains(WrongCredentials, wrongPassword, StringComparison.Ordinal);
        Assert.Contains(WrongCredentials, unknownEmail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_as_a_member_who_has_only_the_provider_checks_a_password_once()
    {
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(portal.Acme.Tenant!);
            var created = await scope.ServiceProvider.GetRequiredService<UserManager<Member>>()
                .CreateAsync(Member.Create("upstream-only@acme.test", "Upstream only", MemberRole.User, null, DateTimeOffset.UtcNow));
            Assert.True(created.Succeeded);
        }

        var (html, checks) = await SignInAsync("upstream-only@acme.test", "a guess at a password");

        Assert.Equal(1, checks);
        Assert.Contains(WrongCredentials, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_as_a_disabled_member_checks_a_password_once()
    {
        await portal.AddMemberAsync(portal.Acme, "disabled@acme.test");
        await using (var db = portal.Database.CreateContext(Acme()))
        {
            (await db.Users.SingleAsync(m => m.Email == "disabled@acme.test")).Disable(DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        var (html, checks) = await SignInAsync("disabled@acme.test", "not the password at all");

        Assert.Equal(1, checks);
        Assert.Contains(WrongCredentials, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_as_a_locked_out_member_checks_a_password_once()
    {
        await portal.AddMemberAsync(portal.Acme, "locked@acme.test");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await SignInAsync("locked@acme.test", "not the password at all");
        }

        var (html, checks) = await SignInAsync("locked@acme.test", Passwords.Good);

        Assert.Equal(1, checks);
        Assert.Contains("this account is locked", html, StringComparison.Ordinal);
    }

    /// <summary>Posts the sign-in form and returns the page with how many password checks the server made for it.</summary>
    private async Task<(string Html, int PasswordChecks)> SignInAsync(string email, string password)
    {
        var before = portal.Hasher.Verifications;
        using var response = await portal.ClientFor("acme").SignInAsync(email, password);
        return (await response.Content.ReadAsStringAsync(), portal.Hasher.Verifications - before);
    }

    private TenantContext Acme()
    {
        var context = new TenantContext();
        context.Use(portal.Acme.Tenant!);
        return context;
    }
}
