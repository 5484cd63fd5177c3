using Htmx;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Features.Platform;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Observability;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Web.Tenancy;

namespace StreamSpace.Web.Pages.Account;

/// <summary>
/// Sign-in with a local password. On a tenant's host it signs in directly; on the bare host it asks which organisation,
/// checks the password there and hands the sign-in over to that organisation's host.
/// </summary>
[EnableRateLimiting(WebExtensions.SignInRateLimit)]
public sealed class LoginModel(
    SignInManager<Member> signIn,
    TenantContext tenantContext,
    TenantStore tenants,
    SignInHandover handover,
    TenantLinks links,
    AuditTrail audit,
    StreamSpaceDb db,
    StreamSpaceMetrics metrics,
    SsoDirectory sso)
    : PageModel
{
    private const string WrongCredentials = "That email and password do not match an account here.";

    /// <summary>What a member of a suspended organisation is told, on the sign-in page and when they try.</summary>
    public const string Suspended = "This organisation is suspended: its members cannot sign in until the platform operator reactivates it.";

    [BindProperty]
    public string? Organisation { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public bool AsksForOrganisation => tenantContext.Tenant is null;

    /// <summary>The tenant's upstream provider, offered as "Sign in with …" above (or instead of) the password form.</summary>
    public SsoRegistration? Provider => tenantContext.Tenant is { } tenant ? sso.ForTenant(tenant.Id) : null;

    /// <summary>Why the member's open browser was signed out, when it was sent here for that.</summary>
    [BindProperty(SupportsGet = true)]
    public string? SignedOut { get; set; }

    public void OnGet()
    {
        if (tenantContext.Tenant?.Status == TenantStatus.Suspended)
        {
            Error = Suspended;
        }
        else if (SignedOut == MemberStandingMiddleware.DisabledReason)
        {
            Error = "You were signed out: an administrator of your organisation disabled your account. Ask them to enable it again.";
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var onTenantHost = tenantContext.Tenant is not null;
        if (!onTenantHost)
        {
            var slug = Organisation?.Trim().ToLowerInvariant();
            var tenant = string.IsNullOrEmpty(slug) ? null : await tenants.FindBySlugAsync(slug, cancellationToken);
            if (tenant is null)
            {
                return Fail(string.IsNullOrEmpty(slug) ? "Enter your organisation's tenant id." : $"There is no organisation \"{slug}\".");
            }

            tenantContext.Use(tenant);
        }

        if (sso.ForTenant(tenantContext.Tenant!.Id) is { LocalPasswordsDisabled: true } provider)
        {
            return Fail($"This organisation signs in with {provider.DisplayName} only.");
        }

        if (string.IsNullOrWhiteSpace(Email) || string.IsNullOrEmpty(Password))
        {
            return Fail("Enter your email and password.");
        }

        var email = Email.Trim();
        if (tenantContext.Tenant!.Status == TenantStatus.Suspended)
        {
            // Refused before the password is checked: a suspension must not lock anyone out for later.
            audit.RecordAs(email, null, AuditActions.SignInFailed, $"member/{email}", "organisation suspended");
            await db.SaveChangesAsync(cancellationToken);
            return Fail(Suspended);
        }

        var member = await signIn.UserManager.FindByEmailAsync(email);
        var lockedOut = member is not null && await signIn.UserManager.IsLockedOutAsync(member);
        Microsoft.AspNetCore.Identity.SignInResult result;
        if (member is { PasswordHash: not null } && !lockedOut)
        {
            result = await signIn.CheckPasswordSignInAsync(member, Password, lockoutOnFailure: true);
        }
        else
        {
            // Every path hashes the password once: an unknown e-mail must take as long as a wrong password.
            DecoyPassword.Verify(signIn.UserManager.PasswordHasher, Password);
            result = lockedOut
                ? Microsoft.AspNetCore.Identity.SignInResult.LockedOut
                : Microsoft.AspNetCore.Identity.SignInResult.Failed;
        }

        metrics.PasswordSignInAttempted(tenantContext.Tenant!.Slug, result.Succeeded, result.IsLockedOut);

        if (result.Succeeded && member!.IsDisabled)
        {
            audit.RecordAs(email, member.Id, AuditActions.SignInFailed, $"member/{email}", "account disabled");
            await db.SaveChangesAsync(cancellationToken);
            return Fail("This account is disabled. Ask an administrator of your organisation to enable it.");
        }

        if (!result.Succeeded)
        {
            audit.RecordAs(email, member?.Id, result.IsLockedOut ? AuditActions.LockedOut : AuditActions.SignInFailed, $"member/{email}",
                member is null ? "unknown email" : result.IsLockedOut ? "account locked" : "wrong password");
            await db.SaveChangesAsync(cancellationToken);
            return Fail(result.IsLockedOut
                ? "Too many failed attempts: this account is locked for 15 minutes."
                : WrongCredentials);
        }

        audit.RecordAs(email, member!.Id, AuditActions.SignInSucceeded, $"member/{email}");
        await db.SaveChangesAsync(cancellationToken);
        if (!onTenantHost)
        {
            var target = links.SignInHandover(tenantContext.Tenant!, handover.Issue(tenantContext.Tenant!.Id, member.Id)).ToString();
            return Navigate(target);
        }

        await signIn.SignInAsync(member, isPersistent: false);
        return Navigate(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : Url.Content("~/"));
    }

    private IActionResult Navigate(string target)
    {
        if (!Request.IsHtmx())
        {
            return Redirect(target);
        }

        Response.Htmx(headers => headers.Redirect(target));
        return new EmptyResult();
    }

    private IActionResult Fail(string error)
    {
        Error = error;
        Password = null;
        return Request.IsHtmx() ? Partial("_LoginForm", this) : Page();
    }
}
