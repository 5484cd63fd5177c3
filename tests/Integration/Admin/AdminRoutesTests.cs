using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Admin;

/// <summary>
/// Every endpoint under <c>/admin</c> and <c>/platform</c>, read from the running app's endpoint data source (so a page
/// added later is checked too), refuses anonymous callers, plain members and tenant admins asking for another tenant's rows.
/// </summary>
public sealed partial class AdminRoutesTests(TwoTenantsPortal portal) : IClassFixture<TwoTenantsPortal>, IAsyncLifetime
{
    private const string Member = "eve@acme.test";
    private const string AcmeTemplate = "acme-tool";
    private const string InitechTemplate = "initech-tool";

    /// <summary>
    /// Values for every route or handler parameter the admin pages take: acme's (the caller's own) and initech's, by name or,
    /// where one name means different rows on different pages (<c>id</c>), by <c>page:name</c>. A page with a parameter not
    /// listed here fails <see cref="Every_parameter_of_an_admin_route_has_seeded_values"/> until it is added.
    /// </summary>
    private static readonly Dictionary<string, ParameterValues> Parameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = new(AcmeTemplate, InitechTemplate, IsIdentifier: true),
        ["slug"] = new("acme", "initech", IsIdentifier: true),
        ["edit"] = new("false", "false", IsIdentifier: false),
        ["on"] = new("false", "false", IsIdentifier: false),
    };

    private HttpClient _anonymous = null!;
    private HttpClient _member = null!;
    private HttpClient _admin = null!;
    private List<RouteCase> _routes = null!;

    public async Task InitializeAsync()
    {
        // Each test instance runs this; the fixture (and its rows) is shared by the class.
        if (await SeedTemplateAsync(portal.Acme, AcmeTemplate))
        {
            await SeedTemplateAsync(portal.Initech, InitechTemplate);
            await portal.AddMemberAsync(portal.Acme, Member);
        }

        await SeedIdentifiersAsync();

        _anonymous = portal.ClientFor("acme");
        _member = portal.ClientFor("acme");
        await _member.SignInAsync(Member, Passwords.Good);
        _admin = portal.ClientFor("acme");
        await _admin.SignInAsync(TwoTenantsPortal.AcmeAdmin, Passwords.Good);
        _routes = await RoutesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void The_enumeration_finds_the_admin_and_platform_pages()
    {
        var paths = _routes.Select(r => r.Template).ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.Contains("admin", paths);
        Assert.Contains("admin/audit", paths);
        Assert.Contains("admin/usage", paths);
        Assert.Contains("admin/templates/edit/{name?}", paths);
        Assert.Contains("platform", paths);
        Assert.Contains(_routes, r => r.Method == "POST" && r.Handler == "Suspend");
    }

    [Fact]
    public void Every_parameter_of_an_admin_route_has_seeded_values()
    {
        var unknown = _routes.SelectMany(r => r.Parameters.Where(p => Find(r.Template, p) is null).Select(p => $"{r} takes \"{p}\""));

        Assert.Empty(unknown);
    }

    [Fact]
    public async Task Anonymous_callers_are_sent_to_the_sign_in_page_from_every_route()
    {
        foreach (var route in _routes)
        {
            var response = await SendAsync(_anonymous, route, route.Url(own: true), "/login");

            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{route}: {(int)response.StatusCode}");
            Assert.Equal("/login", response.Headers.Location!.AbsolutePath);
        }
    }

    [Fact]
    public async Task A_plain_member_of_the_tenant_is_refused_every_route()
    {
        foreach (var route in _routes)
        {
            var response = await SendAsync(_member, route, route.Url(own: true), "/catalog");

            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{route}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_tenant_admin_reads_every_admin_page_of_their_own_tenant()
    {
        foreach (var route in _routes.Where(r => r.Method == "GET" && !r.IsPlatform))
        {
            var response = await SendAsync(_admin, route, route.Url(own: true), "/admin");

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_tenant_admin_gets_404_for_another_tenants_ids_and_403_on_the_platform_routes()
    {
        foreach (var route in _routes)
        {
            if (route.IsPlatform)
            {
                Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(_admin, route, route.Url(own: true), "/admin")).StatusCode);
            }
            else if (route.Parameters.Any(p => Find(route.Template, p)!.IsIdentifier))
            {
                var response = await SendAsync(_admin, route, route.Url(own: false), "/admin");
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{route} with initech's ids: {(int)response.StatusCode}");
            }
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, RouteCase route, string url, string tokenPage)
    {
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), url);
        if (route.Method == "POST")
        {
            // A valid token for this client, so a refusal cannot come from antiforgery instead of authorization.
            var page = await client.GetStringAsync(tokenPage == "/login" ? "/login" : tokenPage);
            var token = AntiforgeryToken().Match(page);
            Assert.True(token.Success, $"No antiforgery token on {tokenPage}");
            request.Headers.Add("RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value));
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string>());
        }

        return await client.SendAsync(request);
    }

    private async Task<List<RouteCase>> RoutesAsync()
    {
        _ = portal.Server;
        var endpoints = portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        var loader = portal.Services.GetRequiredService<PageLoader>();
        var routes = new List<RouteCase>();
        foreach (var endpoint in endpoints)
        {
            var template = endpoint.RoutePattern.RawText?.Trim('/') ?? string.Empty;
            if (!IsUnder(template, "admin") && !IsUnder(template, "platform"))
            {
                continue;
            }

            var routeParameters = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToList();
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var compiled = endpoint.Metadata.GetMetadata<CompiledPageActionDescriptor>() ?? await loader.LoadAsync(page, endpoint.Metadata);
                routes.AddRange(compiled.HandlerMethods.Select(h => new RouteCase(
                    template,
                    endpoint.RoutePattern,
                    h.HttpMethod.ToUpperInvariant(),
                    h.Name,
                    [.. routeParameters, .. h.Parameters.Where(p => p.ParameterType != typeof(CancellationToken)).Select(p => p.Name)])));
            }
            else
            {
                var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];
                routes.AddRange(methods.Select(m => new RouteCase(template, endpoint.RoutePattern, m, null, routeParameters)));
            }
        }

        return routes.DistinctBy(r => r.ToString()).ToList();
    }

    private static ParameterValues? Find(string template, string name)
    {
        // A page answers at "admin/members" and "admin/members/index"; both mean the same page.
        var page = template.EndsWith("/index", StringComparison.OrdinalIgnoreCase) ? template[..^"/index".Length] : template;
        return Parameters.TryGetValue($"{page}:{name}", out var onPage) ? onPage : Parameters.GetValueOrDefault(name);
    }

    /// <summary>The rows behind the pages' <c>id</c> parameters: tiers, members and sessions of both tenants.</summary>
    private async Task SeedIdentifiersAsync()
    {
        await using var acme = portal.ContextOf(portal.Acme);
        await using var initech = portal.ContextOf(portal.Initech);
        var acmeTier = acme.Tiers.OrderBy(t => t.Name).Select(t => t.Id).First();
        var initechTier = initech.Tiers.OrderBy(t => t.Name).Select(t => t.Id).First();
        var acmeMember = acme.Users.Where(m => m.Email == Member).Select(m => m.Id).Single();
        Parameters["admin/tiers:id"] = new(acmeTier.ToString(), initechTier.ToString(), IsIdentifier: true);
        Parameters["admin/members:id"] = new(acmeMember.ToString(), portal.Initech.Admin!.Id.ToString(), IsIdentifier: true);
        Parameters["admin/sessions:id"] = new(portal.AcmeSession.ToString(), portal.InitechSession.ToString(), IsIdentifier: true);
        Parameters["admin/members/invitations:id"] = new(
            (await InvitationOfAsync(acme)).ToString(), (await InvitationOfAsync(initech)).ToString(), IsIdentifier: true);
        Parameters["admin/api-clients:id"] = new(
            (await ApiClientOfAsync(portal.Acme)).ToString(), (await ApiClientOfAsync(portal.Initech)).ToString(), IsIdentifier: true);
    }

    private static async Task<Guid> InvitationOfAsync(Infrastructure.Data.StreamSpaceDb db)
    {
        var invitation = Infrastructure.Features.Members.Invitation.Create(
            $"route-{Guid.NewGuid():N}@example.test", Domain.Members.MemberRole.User, null, Guid.NewGuid().ToString("N"), "route test", DateTimeOffset.UtcNow, TimeSpan.FromDays(1));
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync();
        return invitation.Id;
    }

    private async Task<Guid> ApiClientOfAsync(Infrastructure.Features.Tenants.SignupResult tenant)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Infrastructure.Tenancy.TenantContext>().Use(tenant.Tenant!);
        var db = scope.ServiceProvider.GetRequiredService<Infrastructure.Data.StreamSpaceDb>();
        if (db.ApiClients.Select(c => (Guid?)c.Id).FirstOrDefault() is { } existing)
        {
            return existing;
        }

        var (client, _) = await scope.ServiceProvider.GetRequiredService<Infrastructure.Features.ApiClients.TenantApiClients>()
            .CreateAsync(tenant.Admin!.Id, "route test", [Infrastructure.Identity.ApiScopes.Templates], CancellationToken.None);
        return client.Id;
    }

    private static bool IsUnder(string template, string area) =>
        template.Equals(area, StringComparison.OrdinalIgnoreCase) || template.StartsWith(area + "/", StringComparison.OrdinalIgnoreCase);

    private async Task<bool> SeedTemplateAsync(Infrastructure.Features.Tenants.SignupResult tenant, string name)
    {
        await using var db = portal.ContextOf(tenant);
        if (db.Templates.Any(t => t.Name == name))
        {
            return false;
        }

        var definition = BuiltInTemplates.All[0] with { Name = name, DisplayName = name };
        db.Templates.Add(Template.CreateForTenant(tenant.Tenant!.Id, definition));
        await db.SaveChangesAsync();
        return true;
    }

    [GeneratedRegex("(?:\"RequestVerificationToken\": \"|name=\"__RequestVerificationToken\" type=\"hidden\" value=\")([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    private sealed record ParameterValues(string Acme, string Initech, bool IsIdentifier);

    /// <summary>One method and handler of one endpoint, with the parameters it takes from the route or the query.</summary>
    private sealed record RouteCase(string Template, RoutePattern Pattern, string Method, string? Handler, IReadOnlyList<string> Parameters)
    {
        public bool IsPlatform => IsUnder(Template, "platform");

        public string Url(bool own)
        {
            string Value(string name) => Uri.EscapeDataString(own ? Find(Template, name)!.Acme : Find(Template, name)!.Initech);

            var routeNames = Pattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var path = "/" + string.Join('/', Pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                RoutePatternLiteralPart literal => literal.Content,
                RoutePatternParameterPart parameter => Value(parameter.Name),
                _ => string.Empty,
            }))));
            var query = Parameters.Where(p => !routeNames.Contains(p)).Select(p => $"{p}={Value(p)}").ToList();
            if (Handler is not null)
            {
                query.Insert(0, $"handler={Handler}");
            }

            return query.Count == 0 ? path : $"{path}?{string.Join('&', query)}";
        }

        public override string ToString() => $"{Method} /{Template}{(Handler is null ? "" : $"?handler={Handler}")}";
    }
}
