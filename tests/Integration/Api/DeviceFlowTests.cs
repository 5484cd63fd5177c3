using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Api;

/// <summary>The CLI's sign-in: device authorization, approval by a signed-in member on the portal, then tokens.</summary>
public sealed class DeviceFlowTests(ApiPortal portal) : IClassFixture<ApiPortal>
{
    [Fact]
    public async Task A_device_approved_by_a_member_gets_tokens_that_act_as_that_member_and_refresh()
    {
        using var device = portal.CreateClient();
        var authorization = await FormAsync(device, "/connect/device", new() { ["client_id"] = "streamspace-cli", ["scope"] = "sessions templates offline_access" });
        var deviceCode = authorization.GetProperty("device_code").GetString()!;
        var userCode = authorization.GetProperty("user_code").GetString()!;

        // Before approval the device is told to keep waiting.
        using (var pending = await PostAsync(device, "/connect/token", DeviceGrant(deviceCode)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, pending.StatusCode);
            Assert.Contains("authorization_pending", await pending.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var carol = portal.ClientFor("acme");
        await carol.SignInAsync(ApiPortal.Carol, Passwords.Good);
        using (var approved = await carol.PostFormAsync($"/device?user_code={Uri.EscapeDataString(userCode)}", new Dictionary<string, string> { ["user_code"] = userCode }))
        {
            Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        }

        var tokens = await FormAsync(device, "/connect/token", DeviceGrant(deviceCode));
        using var api = portal.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        var me = await api.GetAsync("/api/v1/sessions");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/members")).StatusCode);

        var refreshed = await FormAsync(device, "/connect/token", new()
        {
            ["grant_type"] = "refresh_token", ["client_id"] = "streamspace-cli", ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!,
        });
        Assert.False(string.IsNullOrEmpty(refreshed.GetProperty("access_token").GetString()));
    }

    [Fact]
    public async Task An_unknown_code_is_refused_on_the_verification_page()
    {
        var carol = portal.ClientFor("acme");
        await carol.SignInAsync(ApiPortal.Carol, Passwords.Good);
        using var response = await carol.GetAsync("/device?user_code=NOPE-NOPE");
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("That code is unknown or expired", page, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> DeviceGrant(string deviceCode) => new()
    {
        ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code", ["client_id"] = "streamspace-cli", ["device_code"] = deviceCode,
    };

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, Dictionary<string, string> form) =>
        http.PostAsync(path, new FormUrlEncodedContent(form));

    private static async Task<JsonElement> FormAsync(HttpClient http, string path, Dictionary<string, string> form)
    {
        using var response = await PostAsync(http, path, form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }
}
