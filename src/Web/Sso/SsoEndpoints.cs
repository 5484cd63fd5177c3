using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Client;
using OpenIddict.Client.AspNetCore;
using StreamSpace.Domain.Common;
using StreamSpace.Infrastructure.Features.Sso;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Observability;
using StreamSpace.Infrastructure.Tenancy;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace StreamSpace.Web.Sso;

/// <summary><c>/sso/login</c> sends the browser to the tenant's provider; <c>/sso/callback</c> signs the member in on return.</summary>
public static class SsoEndpoints
{
    public static IEndpointRouteBuilder MapSso(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/sso/login", LoginAsync).ExcludeFromDescription();
        endpoints.MapMethods(SsoRegistrations.CallbackPath, [HttpMethods.Get, HttpMethods.Post], CallbackAsync).DisableAntiforgery().ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> LoginAsync(
        HttpContext http, TenantContext tenantContext, SsoDirectory directory, OpenIddictClientService client, ILoggerFactory loggers, string? returnUrl)
    {
        if (tenantContext.Tenant is not { } tenant || directory.ForTenant(tenant.Id) is not { } provider)
        {
            return Results.NotFound();
        }

        // The provider's discovery document first (cached once fetched): unreachable, the challenge would answer the
        // browser with OpenIddict's bare error text; the sign-in page says what failed and what to do instead.
        try
        {
            var registration = await client.GetClientRegistrationByIdAsync(provider.RegistrationId, http.RequestAborted);
            if (registration.ConfigurationManager is { } configuration)
            {
                await configuration.GetConfigurationAsync(http.RequestAborted);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            loggers.CreateLogger(typeof(SsoEndpoints)).LogWarning("The identity provider of {Tenant} could not be reached: {Failure}", tenant.Slug, e.GetType().Name);
            return Results.Redirect($"/login?provider=unreachable&returnUrl={Uri.EscapeDataString(LocalOrHome(returnUrl))}");
        }

        var properties = new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictClientAspNetCoreConstants.Properties.RegistrationId] = provider.RegistrationId,
        })
        {
            RedirectUri = LocalOrHome(returnUrl),
        };
        return Results.Challenge(properties, [OpenIddictClientAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static async Task<IResult> CallbackAsync(
        HttpContext http, TenantContext tenantContext, TenantSso sso, SignInManager<Member> signIn, StreamSpaceMetrics metrics, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(SsoEndpoints));
        if (tenantContext.Tenant is not { } tenant)
        {
            return Results.NotFound();
        }

        var result = await http.AuthenticateAsync(OpenIddictClientAspNetCoreDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Principal is not { } upstream)
        {
            logger.LogWarning("An SSO callback for {Tenant} failed: {Failure}", tenant.Slug, result.Failure?.Message);
            metrics.SsoSignInAttempted(tenant.Slug, succeeded: false);
            return Refused("The sign-in with your organisation's provider did not complete; try again.");
        }

        // The state names the registration the sign-in began with: it must be this tenant's, never another's.
        if (upstream.GetClaim(Claims.Private.RegistrationId) != SsoRegistration.RegistrationIdOf(tenant.Id))
        {
            logger.LogWarning("An SSO callback on {Tenant} carried another registration", tenant.Slug);
            metrics.SsoSignInAttempted(tenant.Slug, succeeded: false);
            return Refused("This sign-in was started for another organisation.", StatusCodes.Status403Forbidden);
        }

        var subject = upstream.FindFirst(Claims.Subject);
        if (subject is null)
        {
            metrics.SsoSignInAttempted(tenant.Slug, succeeded: false);
            return Refused("The identity provider did not say who you are (no subject).");
        }

        try
        {
            var member = await sso.SignInAsync(subject.Issuer, subject.Value, upstream, http.RequestAborted);
            await signIn.SignInAsync(member, isPersistent: false);
            metrics.SsoSignInAttempted(tenant.Slug, succeeded: true);
        }
        catch (DomainException e)
        {
            metrics.SsoSignInAttempted(tenant.Slug, succeeded: false);
            return Refused(e.Message, StatusCodes.Status403Forbidden);
        }

        var target = result.Properties?.RedirectUri;
        return Results.Redirect(LocalOrHome(target));
    }

    /// <summary>
    /// Only a path on this site: <c>/\evil.example</c> and <c>//evil.example</c> are other hosts to a browser, and a tab or
    /// newline is dropped by it (<c>/\t/evil.example</c>), so ASP.NET Core's local-URL rule decides.
    /// </summary>
    private static string LocalOrHome(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && RedirectHttpResult.IsLocalUrl(url) ? url : "/";

    /// <summary>A page, not bare text: what failed, in the words of <paramref name="message"/>, and the way back to the sign-in page.</summary>
    private static IResult Refused(string message, int status = StatusCodes.Status400BadRequest)
    {
        var text = System.Net.WebUtility.HtmlEncode(message);
        var page = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign-in did not complete · StreamSpace</title>
            <link rel="stylesheet" href="/lib/bootstrap/css/bootstrap.min.css"><link rel="stylesheet" href="/css/site.css"></head>
            <body><main class="container py-5" style="max-width: 40rem">
            <h1 class="h3">Sign-in did not complete</h1>
            <p class="alert alert-danger" role="alert" id="sso-refusal">{text}</p>
            <p>Try again from the <a href="/login">sign-in page</a>. If it keeps failing, tell an administrator of your organisation:
            they can check the provider under Admin → Single sign-on.</p>
            </main></body></html>
            """;
        return Results.Content(page, "text/html; charset=utf-8", statusCode: status);
    }
}
