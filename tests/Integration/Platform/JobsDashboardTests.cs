using System.Net;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Platform;

public sealed class JobsDashboardTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Operators_see_the_jobs_dashboard_and_tenant_admins_do_not()
    {
        await portal.CreateTenantAsync("acme", "ada@acme.test");

        var op = await portal.OperatorClientAsync();
        var admin = portal.ClientFor("acme");
        await admin.SignInAsync("ada@acme.test", Passwords.Good);

        var dashboard = await op.GetAsync("/platform/jobs");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("StreamSpace jobs", await dashboard.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, (await admin.GetAsync("/platform/jobs")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await portal.ClientFor(null).GetAsync("/platform/jobs")).StatusCode);
    }
}
