using System.Net;
using System.Text.RegularExpressions;

namespace StreamSpace.Tests.Integration.Portal;

/// <summary>What a browser does with our forms: fetch the page for its antiforgery token, then post the fields.</summary>
public static partial class PortalRequests
{
    public static async Task<HttpResponseMessage> PostFormAsync(
        this HttpClient client, string pagePath, IDictionary<string, string> fields, string? handlerQuery = null, bool htmx = false, string? postTo = null)
    {
        var page = await client.GetAsync(pagePath);
        var html = await page.Content.ReadAsStringAsync();
        var token = AntiforgeryToken().Match(html);
        Assert.True(token.Success, $"No antiforgery token on {pagePath} ({(int)page.StatusCode})");

        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value) };
        using var request = new HttpRequestMessage(HttpMethod.Post, (postTo ?? pagePath) + handlerQuery) { Content = new FormUrlEncodedContent(form) };
        if (htmx)
        {
            request.Headers.Add("HX-Request", "true");
        }

        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password, string? organisation = null)
    {
        var fields = new Dictionary<string, string> { ["Email"] = email, ["Password"] = password };
        if (organisation is not null)
        {
            fields["Organisation"] = organisation;
        }

        return client.PostFormAsync("/login", fields);
    }

    public static Task<HttpResponseMessage> SignUpAsync(
        this HttpClient client, string organisation, string tenantId, string email, string password, bool htmx = true) =>
        client.PostFormAsync(
            "/signup",
            new Dictionary<string, string>
            {
                ["Form.OrganisationName"] = organisation,
                ["Form.TenantId"] = tenantId,
                ["Form.Email"] = email,
                ["Form.Password"] = password,
            },
            htmx: htmx);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
