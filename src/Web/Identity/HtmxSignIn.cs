using Htmx;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace StreamSpace.Web.Identity;

/// <summary>
/// An htmx request whose sign-in has expired would swap the whole login page into a table row. It gets a 401 with
/// <c>HX-Redirect</c> instead: htmx then loads the login page, which returns to the page the request came from (not to the
/// partial's URL).
/// </summary>
public static class HtmxSignIn
{
    public static Func<RedirectContext<CookieAuthenticationOptions>, Task> RedirectToLogin(
        Func<RedirectContext<CookieAuthenticationOptions>, Task> otherwise) => context =>
    {
        var request = context.Request;
        if (!request.IsHtmx())
        {
            return otherwise(context);
        }

        var login = new Uri(context.RedirectUri, UriKind.RelativeOrAbsolute);
        var path = login.IsAbsoluteUri ? login.GetLeftPart(UriPartial.Path) : context.RedirectUri.Split('?')[0];
        var returnTo = ReturnPath(request) ?? "/";
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        // htmx follows the header; an error page in the body would be swapped nowhere, so none is rendered.
        if (context.HttpContext.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }

        context.Response.Headers["HX-Redirect"] = QueryHelpers.AddQueryString(path, context.Options.ReturnUrlParameter, returnTo);
        return Task.CompletedTask;
    };

    /// <summary>The page the htmx request was made from, if it is on this host.</summary>
    private static string? ReturnPath(HttpRequest request) =>
        Uri.TryCreate(request.Headers["HX-Current-URL"].ToString(), UriKind.Absolute, out var page)
        && string.Equals(page.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
            ? page.PathAndQuery
            : null;
}
