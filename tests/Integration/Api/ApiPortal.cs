using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Features.ApiClients;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Tenants;
using StreamSpace.Infrastructure.Identity;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Api;

/// <summary>
/// Two organisations with API clients: acme's admin (all scopes, plus clients with one scope each), acme's member Carol on the
/// <c>pro</c> tier (sessions and templates), initech's admin (all scopes), and a template private to initech.
/// </summary>
public class ApiPortal : TwoTenantsPortal
{
    public const string Carol = "carol@acme.test";
    public const string InitechTemplate = "initech-xterm";

    /// <summary>The global template every tenant sees (the first built-in one).</summary>
    public static string GlobalTemplate => BuiltInTemplates.All[0].Name;

    public (string Id, string Secret) AcmeAdminClient { get; private set; }

    public (string Id, string Secret) AcmeTemplatesOnlyClient { get; private set; }

    public (string Id, string Secret) AcmeSessionsOnlyClient { get; private set; }

    public (string Id, string Secret) CarolClient { get; private set; }

    public (string Id, string Secret) InitechAdminClient { get; private set; }

    public Guid CarolId { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AddMemberAsync(Acme, Carol);
        await using (var db = ContextOf(Acme))
        {
            var carol = await db.Users.SingleAsync(m => m.Email == Carol);
            carol.TierId = await db.Tiers.Where(t => t.Name == "pro").Select(t => t.Id).SingleAsync();
            await db.SaveChangesAsync();
            CarolId = carol.Id;
        }

        await using (var db = ContextOf(Initech))
        {
            db.Templates.Add(Template.CreateForTenant(Initech.Tenant!.Id, BuiltInTemplates.All[0] with { Name = InitechTemplate, DisplayName = "Initech xterm" }));
            await db.SaveChangesAsync();
        }

        AcmeAdminClient = await CreateClientAsync(Acme, Acme.Admin!.Id, ApiScopes.All);
        AcmeTemplatesOnlyClient = await CreateClientAsync(Acme, Acme.Admin!.Id, [ApiScopes.Templates]);
        AcmeSessionsOnlyClient = await CreateClientAsync(Acme, Acme.Admin!.Id, [ApiScopes.Sessions]);
        CarolClient = await CreateClientAsync(Acme, CarolId, [ApiScopes.Sessions, ApiScopes.Templates]);
        InitechAdminClient = await CreateClientAsync(Initech, Initech.Admin!.Id, ApiScopes.All);
    }

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);

        // One issuer for every host, as in production: a token from localhost is good on acme.localhost too.
        builder.UseSetting("Identity:Issuer", "http://localhost/");
    }

    /// <summary>A client of its own name: a tenant's client names are unique.</summary>
    public async Task<(string Id, string Secret)> CreateClientAsync(SignupResult tenant, Guid memberId, IReadOnlyCollection<string> scopes)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenant.Tenant!);
        var (client, secret) = await scope.ServiceProvider.GetRequiredService<TenantApiClients>()
            .CreateAsync(memberId, "test client " + Guid.NewGuid().ToString("N")[..8], scopes, CancellationToken.None);
        return (client.ClientId, secret);
    }

    /// <summary>An access token by client credentials, asking for all the client's scopes.</summary>
    public async Task<string> TokenAsync((string Id, string Secret) client)
    {
        using var http = CreateClient();
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = client.Id,
            ["client_secret"] = client.Secret,
        }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>A client of the API on the bare host (the tenant comes from the token), sending the token when there is one.</summary>
    public async Task<HttpClient> ApiClientAsync((string Id, string Secret)? client)
    {
        var http = CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (client is { } credentials)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(credentials));
        }

        return http;
    }

    /// <summary>A session of Carol's in <paramref name="state"/>, made with the domain's own transitions.</summary>
    public Task<Guid> CarolSessionAsync(SessionState state) => SessionOfAsync(CarolId, state);

    public async Task<Guid> SessionOfAsync(Guid memberId, SessionState state)
    {
        await using var db = ContextOf(Acme);
        var template = await db.Templates.FirstAsync(t => t.TenantId == null);
        var now = DateTimeOffset.UtcNow;
        var session = Session.Create(memberId, template.Id, "s-" + Guid.NewGuid().ToString("N")[..6], 256L << 20, 250, now);
        if (state != SessionState.Pending)
        {
            session.Start("starting", now);
            session.MarkRunning("unix:/nowhere", now, TimeSpan.FromHours(1));
        }

        if (state == SessionState.Hibernated)
        {
            session.BeginHibernate("user", now);
            session.MarkHibernated(now);
        }

        db.Sessions.Add(session);
        await db.SaveChangesAsync();
        return session.Id;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}
