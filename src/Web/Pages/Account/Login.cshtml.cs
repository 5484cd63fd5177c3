using Htmx;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Observability;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Web.Tenancy;
using StreamSpace.Infrastructure.Features.Sso;

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

    /// <summary>
    /// The administrators' way in while the organisation signs in with its provider only (<c>?administrator=true</c>): a
    /// password sign-in that only tenant admins pass, audited, so a broken provider cannot lock the organisation out.
    /// </summary>
    [BindProperty(SupportsGet = true)]
    public bool Administrator { get; set; }

    /// <summary><c>unreachable</c> when <c>/sso/login</c> could not reach the provider and sent the browser back here.</summary>
    [BindProperty(SupportsGet = true, Name = "provider")]
    public string? ProviderProblem { get; set; }

    public string? Error { get; private set; }

    public bool AsksForOrganisation => tenantContext.Tenant is null;

    /// <summary>The tenant's upstream provider, offered as "Sign in with …" above (or instead of) the password form.</summary>
    public SsoRegistration? Provider => tenantContext.Tenant is { } tenant ? sso.ForTenant(tenant.Id) : null;

    /// <summary>Whether this page offers the password form: always, unless the provider is the only way in and this is not the administrators' sign-in.</summary>
    public bool OffersPasswords => Provider is not { LocalPasswordsDisabled: true } || Administrator;

    /// <summary>Why the member's open browser was signed out, when it was sent here for that.</summary>
    [BindProperty(SupportsGet = true)]
    public string? SignedOut { get; set; }

    public void OnGet()
    {
        if (tenantContext.Tenant?.Status == TenantStatus.Suspended)
        {
            Error = Suspended;
        }
        else if (ProviderProblem == "unreachable" && Provider is { } provider)
        {
            Error = $"{provider.DisplayName} could not be reached, so signing in with it does not work right now. Try again in a few minutes; "
                + (provider.LocalPasswordsDisabled
                    ? "if it keeps failing, an administrator of your organisation can still sign in with their password (Administrator sign-in below) and fix the provider's settings."
                    : "or sign in with your password below.");
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

        var providerOnly = sso.ForTenant(tenantContext.Tenant!.Id) is { LocalPasswordsDisabled: true } provider ? provider : null;
        if (providerOnly is not null && !Administrator)
        {
            return Fail($"This organisation signs in with {providerOnly.DisplayName} only.");
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

        if (providerOnly is not null)
        {
            if (member!.Role != Domain.Members.MemberRole.TenantAdmin)
            {
                audit.RecordAs(email, member.Id, AuditActions.SignInFailed, $"member/{email}", $"password sign-in while {providerOnly.DisplayName} is the only way in: not an administrator");
                await db.SaveChangesAsync(cancellationToken);
                return Fail($"This organisation signs in with {providerOnly.DisplayName} only; the password sign-in is for its administrators.");
            }

            audit.RecordAs(email, member.Id, AuditActions.SignInPasswordBreakGlass, $"member/{email}", $"password sign-in while {providerOnly.DisplayName} is the only way in");
        }
        else
        {
            audit.RecordAs(email, member!.Id, AuditActions.SignInSucceeded, $"member/{email}");
        }

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
