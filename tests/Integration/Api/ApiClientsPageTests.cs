using System.Net;
using System.Text.RegularExpressions;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Api;

public sealed partial class ApiClientsPageTests(ApiPortal portal) : IClassFixture<ApiPortal>
{
    [Fact]
    public async Task A_tenant_admin_creates_a_client_whose_secret_is_shown_once_and_works()
    {
        var admin = portal.ClientFor("acme");
        await admin.SignInAsync(ApiPortal.AcmeAdmin, Passwords.Good);
        using var created = await admin.PostFormAsync(
            "/admin/api-clients", new Dictionary<string, string> { ["Name"] = "nightly report", ["Scopes"] = "templates" }, "?handler=Create");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var html = await created.Content.ReadAsStringAsync();
        var clientId = ClientId().Match(html).Groups[1].Value;
        var secret = Secret().Match(html).Groups[1].Value;
        Assert.NotEmpty(clientId);
        Assert.NotEmpty(secret);

        using var api = await portal.ApiClientAsync((clientId, secret));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/templates")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/sessions")).StatusCode);

        var listed = await (await admin.GetAsync("/admin/api-clients")).Content.ReadAsStringAsync();
        Assert.Contains(clientId, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Members_who_are_not_tenant_admins_cannot_open_the_api_clients_page()
    {
        var carol = portal.ClientFor("acme");
        await carol.SignInAsync(ApiPortal.Carol, Passwords.Good);
        Assert.Equal(HttpStatusCode.Forbidden, (await carol.GetAsync("/admin/api-clients")).StatusCode);
    }

    [GeneratedRegex("""id="client-id">([^<]+)<""")]
    private static partial Regex ClientId();

    [GeneratedRegex("""id="client-secret">([^<]+)<""")]
    private static partial Regex Secret();
}
