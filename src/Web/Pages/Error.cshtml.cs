using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Web.Pages;

[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public int Code { get; private set; }

    public string Heading { get; private set; } = string.Empty;

    public string Explanation { get; private set; } = string.Empty;

    public void OnGet(int? code) => Describe(code ?? StatusCodes.Status500InternalServerError);

    public void OnPost(int? code) => Describe(code ?? StatusCodes.Status500InternalServerError);

    private void Describe(int code)
    {
        Code = code;
        (Heading, Explanation) = code switch
        {
            404 when HttpContext.Items[TenantResolutionMiddleware.UnknownTenantKey] is string slug =>
                ("Organisation not found", $"There is no organisation \"{slug}\" on this StreamSpace."),
            404 => ("Not found", "There is nothing at this address, or it is not yours to see."),
            // Signed in here means a member of this organisation: what they lack is a role, not a different account.
            403 when User.Identity?.IsAuthenticated == true =>
                ("Not allowed", "This page is for administrators, and your account does not have that role. If you need it, ask an administrator of your organisation."),
            403 => ("Not allowed", "Your account cannot open this page. Sign in with an account of this organisation."),
            429 => ("Slow down", "Too many attempts from your address; wait a minute and try again."),
            _ => ("Something went wrong", "The error was logged. Try again in a moment."),
        };
    }
}
