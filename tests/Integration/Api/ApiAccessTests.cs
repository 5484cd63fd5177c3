using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;

namespace StreamSpace.Tests.Integration.Api;

/// <summary>Every endpoint of /api/v1 without a token, with a token lacking its scope, and with another tenant's ids.</summary>
public sealed class ApiAccessTests(ApiPortal portal) : IClassFixture<ApiPortal>
{
    /// <summary>Every endpoint, by the scope it needs; <c>{id}</c> and <c>{name}</c> are filled with the caller's own ids.</summary>
    public static TheoryData<string, string, string> Endpoints => new()
    {
        { "GET", "/api/v1/templates", "templates" },
        { "GET", "/api/v1/templates/{name}", "templates" },
        { "GET", "/api/v1/sessions", "sessions" },
        { "GET", "/api/v1/sessions/events", "sessions" },
        { "GET", "/api/v1/sessions/{id}", "sessions" },
        { "POST", "/api/v1/sessions", "sessions" },
        { "POST", "/api/v1/sessions/{id}/hibernate", "sessions" },
        { "POST", "/api/v1/sessions/{id}/resume", "sessions" },
        { "POST", "/api/v1/sessions/{id}/terminate", "sessions" },
        { "GET", "/api/v1/members", "admin" },
        { "GET", "/api/v1/members/{id}", "admin" },
        { "GET", "/api/v1/tiers", "admin" },
        { "GET", "/api/v1/usage", "admin" },
    };

    /// <summary>The endpoints that name something, filled with initech's ids for an acme token.</summary>
    public static TheoryData<string, string> ForeignIds => new()
    {
        { "GET", "/api/v1/templates/{name}" },
        { "GET", "/api/v1/sessions/{id}" },
        { "POST", "/api/v1/sessions/{id}/hibernate" },
        { "POST", "/api/v1/sessions/{id}/resume" },
        { "POST", "/api/v1/sessions/{id}/terminate" },
        { "GET", "/api/v1/members/{id}" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_endpoint_answers_401_with_problem_details_without_a_token(string method, string route, string scope)
    {
        _ = scope;
        using var http = await portal.ApiClientAsync(null);
        using var response = await SendAsync(http, method, Fill(route, portal.AcmeSession, ApiPortal.GlobalTemplate, portal.Acme.Admin!.Id));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_endpoint_answers_403_to_a_token_without_its_scope(string method, string route, string scope)
    {
        // The admin endpoints are also refused to a member who is not a tenant admin, whatever the client asked for.
        var client = scope switch
        {
            "templates" => portal.AcmeSessionsOnlyClient,
            "sessions" => portal.AcmeTemplatesOnlyClient,
            _ => portal.CarolClient,
        };
        using var http = await portal.ApiClientAsync(client);
        using var response = await SendAsync(http, method, Fill(route, portal.AcmeSession, ApiPortal.GlobalTemplate, portal.Acme.Admin!.Id));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [MemberData(nameof(ForeignIds))]
    public async Task Every_endpoint_answers_404_to_ids_of_another_tenant(string method, string route)
    {
        using var http = await portal.ApiClientAsync(portal.AcmeAdminClient);
        using var response = await SendAsync(http, method, Fill(route, portal.InitechSession, ApiPortal.InitechTemplate, portal.Initech.Admin!.Id));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_token_used_on_another_tenants_host_still_acts_only_in_its_own_tenant()
    {
        using var http = await portal.ApiClientAsync(portal.AcmeAdminClient);
        http.BaseAddress = new Uri("http://initech.localhost");
        var sessions = await http.GetFromJsonAsync<List<Dictionary<string, object>>>("/api/v1/sessions");
        Assert.Equal(portal.AcmeSession.ToString(), Assert.Single(sessions!)["id"].ToString());
    }

    [Fact]
    public async Task A_token_of_a_deleted_client_is_refused()
    {
        var client = await portal.CreateClientAsync(portal.Acme, portal.Acme.Admin!.Id, ["templates"]);
        using var http = await portal.ApiClientAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/templates")).StatusCode);

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<StreamSpace.Infrastructure.Tenancy.TenantContext>().Use(portal.Acme.Tenant!);
            var clients = scope.ServiceProvider.GetRequiredService<StreamSpace.Infrastructure.Features.ApiClients.TenantApiClients>();
            var row = (await clients.ListAsync(CancellationToken.None)).Single(c => c.ClientId == client.Id);
            await clients.DeleteAsync(row.Id, CancellationToken.None);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/templates")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_client_secret_gets_no_token()
    {
        using var http = portal.CreateClient();
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = portal.AcmeAdminClient.Id,
            ["client_secret"] = "not-the-secret",
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    internal static string Fill(string route, Guid sessionId, string templateName, Guid memberId) =>
        route.Replace("{name}", templateName, StringComparison.Ordinal)
            .Replace("/sessions/{id}", $"/sessions/{sessionId}", StringComparison.Ordinal)
            .Replace("/members/{id}", $"/members/{memberId}", StringComparison.Ordinal);

    internal static async Task<HttpResponseMessage> SendAsync(HttpClient http, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { template = ApiPortal.GlobalTemplate });
        }

        // The event stream never ends by itself: only the status and headers are read.
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}
