using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Tests.Integration.Api;

/// <summary>What each endpoint does for a token of the right tenant and scope.</summary>
public sealed class ApiBehaviourTests(ApiPortal portal) : IClassFixture<ApiPortal>
{
    [Fact]
    public async Task Templates_lists_the_catalog_of_the_tokens_tenant_and_searches_it()
    {
        using var http = await portal.ApiClientAsync(portal.AcmeAdminClient);
        var all = await http.GetFromJsonAsync<JsonElement>("/api/v1/templates");
        var names = all.EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Contains(ApiPortal.GlobalTemplate, names);
        Assert.DoesNotContain(ApiPortal.InitechTemplate, names);

        var none = await http.GetFromJsonAsync<JsonElement>("/api/v1/templates?q=no-such-application-anywhere");
        Assert.Equal(0, none.GetArrayLength());
    }

    [Fact]
    public async Task A_template_is_returned_by_name()
    {
        using var http = await portal.ApiClientAsync(portal.InitechAdminClient);
        var template = await http.GetFromJsonAsync<JsonElement>($"/api/v1/templates/{ApiPortal.InitechTemplate}");
        Assert.Equal("Initech xterm", template.GetProperty("displayName").GetString());
        Assert.True(template.GetProperty("private").GetBoolean());
    }

    [Fact]
    public async Task Sessions_lists_only_the_members_own_sessions()
    {
        using var http = await portal.ApiClientAsync(portal.AcmeAdminClient);
        var sessions = await http.GetFromJsonAsync<JsonElement>("/api/v1/sessions");
        var session = Assert.Single(sessions.EnumerateArray());
        Assert.Equal(portal.AcmeSession, session.GetProperty("id").GetGuid());

        var one = await http.GetFromJsonAsync<JsonElement>($"/api/v1/sessions/{portal.AcmeSession}");
        Assert.Equal("pending", one.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Launch_creates_a_pending_session_of_the_template()
    {
        using var http = await portal.ApiClientAsync(portal.CarolClient);
        using var response = await http.PostAsJsonAsync("/api/v1/sessions", new { template = ApiPortal.GlobalTemplate });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var session = await ApiPortal.JsonAsync(response);
        Assert.Equal("pending", session.GetProperty("state").GetString());
        Assert.Equal($"/api/v1/sessions/{session.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Launch_over_quota_is_refused_with_the_portals_message()
    {
        // Dave is on the free tier (one session) and already has one running.
        const string dave = "dave@acme.test";
        await portal.AddMemberAsync(portal.Acme, dave);
        Guid daveId;
        await using (var db = portal.ContextOf(portal.Acme))
        {
            daveId = db.Users.Single(m => m.Email == dave).Id;
        }

        await portal.SessionOfAsync(daveId, SessionState.Running);
        string expected;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(portal.Acme.Tenant!);
            var preview = await scope.ServiceProvider.GetRequiredService<QuotaAdmission>().PreviewAsync(daveId, CancellationToken.None);
            expected = preview.Check(256L << 20, 250)!.Message;
        }

        using var http = await portal.ApiClientAsync(await portal.CreateClientAsync(portal.Acme, daveId, ["sessions"]));
        using var response = await http.PostAsJsonAsync("/api/v1/sessions", new { template = ApiPortal.GlobalTemplate });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await ApiPortal.JsonAsync(response);
        Assert.Equal("Quota exceeded", problem.GetProperty("title").GetString());
        Assert.Equal(expected, problem.GetProperty("detail").GetString());
        Assert.StartsWith("Sessions: 1 requested + 1 running > 1 allowed by tier free", expected, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Launch_without_a_template_is_a_validation_problem()
    {
        using var http = await portal.ApiClientAsync(portal.CarolClient);
        using var response = await http.PostAsJsonAsync("/api/v1/sessions", new { template = " " });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ApiPortal.JsonAsync(response);
        Assert.Equal("Name the template to launch.", problem.GetProperty("errors").GetProperty("template")[0].GetString());
    }

    [Fact]
    public async Task Launch_of_an_unknown_template_says_so_in_the_portals_words()
    {
        using var http = await portal.ApiClientAsync(portal.CarolClient);
        using var response = await http.PostAsJsonAsync("/api/v1/sessions", new { template = "no-such-app" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("There is no application \"no-such-app\" in the catalog.", (await ApiPortal.JsonAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Hibernate_moves_a_running_session_to_hibernating()
    {
        var id = await portal.CarolSessionAsync(SessionState.Running);
        using var http = await portal.ApiClientAsync(portal.CarolClient);
        using var response = await http.PostAsync($"/api/v1/sessions/{id}/hibernate", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("hibernating", (await ApiPortal.JsonAsync(response)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Hibernate_of_a_session_that_cannot_hibernate_is_a_conflict()
    {
        var id = await portal.CarolSessionAsync(SessionState.Hibernated);
        using var http = await portal.ApiClientAsync(portal.CarolClient);
        using var response = await http.PostAsync($"/api/v1/sessions/{id}/hibernate", null);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("A session that is hibernated cannot hibernate.", (await ApiPortal.JsonAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Resume_moves_a_hibernated_session_to_resuming()
    {
        var id = await portal.CarolSessionAsync(SessionState.Hibernated);
        using var http = await portal.ApiClientAsync(portal.CarolClient);
        using var response = await http.PostAsync($"/api/v1/sessions/{id}/resume", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("resuming", (await ApiPortal.JsonAsync(response)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Terminate_moves_a_session_to_terminating()
    {
        var id = await portal.CarolSessionAsync(SessionState.Running);
        using var http = await portal.ApiClientAsync(portal.CarolClient);
        using var response = await http.PostAsync($"/api/v1/sessions/{id}/terminate", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("terminating", (await ApiPortal.JsonAsync(response)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task The_event_stream_sends_a_sessions_state_changes()
    {
        var id = await portal.CarolSessionAsync(SessionState.Running);
        using var http = await portal.ApiClientAsync(portal.CarolClient);
        using var response = await http.GetAsync("/api/v1/sessions/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        await ReadUntilAsync(reader, id, "running");
        using (var terminate = await http.PostAsync($"/api/v1/sessions/{id}/terminate", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
        }

        await ReadUntilAsync(reader, id, "terminating");
    }

    [Fact]
    public async Task Members_tiers_and_usage_are_the_tokens_tenants()
    {
        using var http = await portal.ApiClientAsync(portal.AcmeAdminClient);
        var members = await http.GetFromJsonAsync<JsonElement>("/api/v1/members");
        var emails = members.EnumerateArray().Select(m => m.GetProperty("email").GetString()).ToList();
        Assert.Contains(ApiPortal.AcmeAdmin, emails);
        Assert.Contains(ApiPortal.Carol, emails);
        Assert.DoesNotContain(ApiPortal.InitechAdmin, emails);

        var carol = await http.GetFromJsonAsync<JsonElement>($"/api/v1/members/{portal.CarolId}");
        Assert.Equal("pro", carol.GetProperty("tier").GetString());

        var tiers = await http.GetFromJsonAsync<JsonElement>("/api/v1/tiers");
        Assert.Equal(["free", "pro"], tiers.EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList());

        using var usage = await http.GetAsync("/api/v1/usage");
        Assert.Equal(HttpStatusCode.OK, usage.StatusCode);
        Assert.Equal(JsonValueKind.Array, (await ApiPortal.JsonAsync(usage)).ValueKind);
    }

    private static async Task ReadUntilAsync(StreamReader reader, Guid id, string state)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var line = await reader.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException("The event stream ended.");
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            var session = JsonDocument.Parse(line["data: ".Length..]).RootElement;
            if (session.GetProperty("id").GetGuid() == id && session.GetProperty("state").GetString() == state)
            {
                return;
            }
        }
    }
}
