using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Infrastructure.Features.Members;
using StreamSpace.Infrastructure.Features.Platform;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Api;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Security;

/// <summary>Issue 15 item 3: a disable or a suspension ends API access at once, for tokens issued before it too.</summary>
public sealed class IdentityStandingTests(ApiPortal portal) : IClassFixture<ApiPortal>
{
    [Fact]
    public async Task A_refresh_token_of_a_disabled_member_gets_invalid_grant()
    {
        var memberId = await NewMemberAsync("dora@acme.test");
        var tokens = await DeviceTokensAsync("dora@acme.test");

        await DisableAsync(memberId);

        using var device = portal.CreateClient();
        using var refreshed = await device.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = "streamspace-cli", ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, refreshed.StatusCode);
        Assert.Equal("invalid_grant", JsonDocument.Parse(await refreshed.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        await using var db = portal.Database.CreateContext();
        var grants = await db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreToken>()
            .Where(t => t.Subject == memberId.ToString("D") && t.Type == OpenIddict.Abstractions.OpenIddictConstants.TokenTypeIdentifiers.RefreshToken).Select(t => t.Status).ToListAsync();
        Assert.NotEmpty(grants);
        Assert.All(grants, status => Assert.Equal("revoked", status));
    }

    [Fact]
    public async Task An_access_token_issued_before_the_member_was_disabled_is_refused_and_says_why()
    {
        var memberId = await NewMemberAsync("dan@acme.test");
        var client = await portal.CreateClientAsync(portal.Acme, memberId, ["sessions"]);
        using var api = await portal.ApiClientAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/sessions")).StatusCode);

        await DisableAsync(memberId);

        using var refused = await api.GetAsync("/api/v1/sessions");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("disabled", (await ApiPortal.JsonAsync(refused)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, await TokenStatusAsync(client));
    }

    [Fact]
    public async Task A_suspended_tenants_api_clients_get_no_token_and_their_tokens_stop()
    {
        using var api = await portal.ApiClientAsync(portal.InitechAdminClient);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/sessions")).StatusCode);

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<TenantOperations>().SuspendAsync("initech", CancellationToken.None));
        }

        using var refused = await api.GetAsync("/api/v1/sessions");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("suspended", (await ApiPortal.JsonAsync(refused)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, await TokenStatusAsync(portal.InitechAdminClient));
    }

    private async Task<Guid> NewMemberAsync(string email)
    {
        await portal.AddMemberAsync(portal.Acme, email);
        await using var db = portal.ContextOf(portal.Acme);
        return await db.Users.Where(m => m.Email == email).Select(m => m.Id).SingleAsync();
    }

    private async Task DisableAsync(Guid memberId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(portal.Acme.Tenant!);
        await scope.ServiceProvider.GetRequiredService<TenantMembers>().DisableAsync(memberId, CancellationToken.None);
    }

    private async Task<HttpStatusCode> TokenStatusAsync((string Id, string Secret) client)
    {
        using var http = portal.CreateClient();
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = client.Id, ["client_secret"] = client.Secret,
        }));
        return response.StatusCode;
    }

    /// <summary>The CLI's device sign-in, approved by the member in the portal: access and refresh token.</summary>
    private async Task<JsonElement> DeviceTokensAsync(string email)
    {
        using var device = portal.CreateClient();
        var authorization = await FormAsync(device, "/connect/device", new() { ["client_id"] = "streamspace-cli", ["scope"] = "sessions offline_access" });
        var userCode = authorization.GetProperty("user_code").GetString()!;
        var member = portal.ClientFor("acme");
        await member.SignInAsync(email, Passwords.Good);
        using (var approved = await member.PostFormAsync($"/device?user_code={Uri.EscapeDataString(userCode)}", new Dictionary<string, string> { ["user_code"] = userCode }))
        {
            Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        }

        var tokens = await FormAsync(device, "/connect/token", new()
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code", ["client_id"] = "streamspace-cli", ["device_code"] = authorization.GetProperty("device_code").GetString()!,
        });
        using var api = portal.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/sessions")).StatusCode);
        return tokens;
    }

    private static async Task<JsonElement> FormAsync(HttpClient http, string path, Dictionary<string, string> form)
    {
        using var response = await http.PostAsync(path, new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }
}
