using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Tenancy;
using Microsoft.Extensions.Options;

namespace StreamSpace.Web.Tenancy;

/// <summary>Absolute addresses of a tenant's portal, on its own host (<c>http://acme.localhost:8080/</c>).</summary>
public sealed class TenantLinks(IOptions<TenancyOptions> options, IHttpContextAccessor http)
{
    public Uri PortalRoot(string slug) => OnHost($"{slug}.{BaseDomain}");

    /// <summary>The address outside any tenant, where organisations are created.</summary>
    public Uri PlatformRoot() => OnHost(BaseDomain);

    private string BaseDomain => options.Value.BaseDomain.TrimStart('.');

    private Uri OnHost(string host)
    {
        var request = http.HttpContext?.Request ?? throw new InvalidOperationException("Tenant links are built during a request.");
        return new UriBuilder(request.Scheme, host) { Port = request.Host.Port ?? -1 }.Uri;
    }

    /// <summary>Where a session's web app is entered with its ticket: <c>http://{session}.{tenant}.localhost:8080/_streamspace/enter?ticket=…</c>.</summary>
    public Uri SessionApp(Tenant tenant, string sessionName, string ticket) =>
        new(OnHost($"{sessionName}.{tenant.Slug}.{BaseDomain}"), "_streamspace/enter?ticket=" + Uri.EscapeDataString(ticket));

    public Uri SignInHandover(Tenant tenant, string ticket) =>
        new(PortalRoot(tenant.Slug), "signin-ticket?ticket=" + Uri.EscapeDataString(ticket));
}
