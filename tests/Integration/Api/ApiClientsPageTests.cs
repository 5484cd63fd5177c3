using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
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

    [Fact]
    public async Task A_second_client_with_the_same_name_in_any_case_is_refused_under_Name()
    {
        var admin = portal.ClientFor("acme");
        await admin.SignInAsync(ApiPortal.AcmeAdmin, Passwords.Good);
        using var first = await admin.PostFormAsync(
            "/admin/api-clients", new Dictionary<string, string> { ["Name"] = "Backup job", ["Scopes"] = "templates" }, "?handler=Create");
        Assert.Contains("id=\"client-secret\"", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var second = await admin.PostFormAsync(
            "/admin/api-clients", new Dictionary<string, string> { ["Name"] = "backup JOB", ["Scopes"] = "templates" }, "?handler=Create");

        var html = await second.Content.ReadAsStringAsync();
        Assert.DoesNotContain("id=\"client-secret\"", html, StringComparison.Ordinal);
        Assert.Matches(NameMessage(), html);
        await using var db = portal.ContextOf(portal.Acme);
        var names = await db.Set<StreamSpace.Infrastructure.Identity.ApiClient>().Select(c => c.DisplayName).ToListAsync();
        Assert.Single(names, n => string.Equals(n, "backup job", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task After_a_client_is_created_the_Name_field_is_empty_for_the_next_one()
    {
        var admin = portal.ClientFor("acme");
        await admin.SignInAsync(ApiPortal.AcmeAdmin, Passwords.Good);

        using var created = await admin.PostFormAsync(
            "/admin/api-clients", new Dictionary<string, string> { ["Name"] = "dashboard feed", ["Scopes"] = "templates" }, "?handler=Create");

        var html = await created.Content.ReadAsStringAsync();
        Assert.Contains("id=\"client-secret\"", html, StringComparison.Ordinal);
        Assert.Matches(EmptyNameInput(), html);
    }

    [GeneratedRegex("""<input class="form-control[^"]*" type="text"[^>]*id="Name"[^>]*value="" />""")]
    private static partial Regex EmptyNameInput();

    [GeneratedRegex("""<span class="text-danger text-break field-validation-error" data-valmsg-for="Name" data-valmsg-replace="true">There is already a client named &quot;backup JOB&quot;. Choose another name.</span>""")]
    private static partial Regex NameMessage();

    [GeneratedRegex("""id="client-id">([^<]+)<""")]
    private static partial Regex ClientId();

    [GeneratedRegex("""id="client-secret">([^<]+)<""")]
    private static partial Regex Secret();
}
