using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Observability;

/// <summary>Production: with <c>Metrics:Port</c> set, Web serves <c>/metrics</c> on that port only, never through the public one.</summary>
public sealed class ManagementPortTests(ManagementPortTests.Portal portal) : IClassFixture<ManagementPortTests.Portal>
{
    [Fact]
    public async Task Metrics_answer_on_the_management_port_and_not_on_the_public_one()
    {
        var onPublicPort = await portal.ClientFor(null).GetAsync("/metrics");
        using var management = new HttpClient();
        var scrape = new MetricsScrape(await management.GetStringAsync(new Uri($"http://127.0.0.1:{portal.MetricsPort}/metrics")));

        Assert.Equal(HttpStatusCode.NotFound, onPublicPort.StatusCode);
        Assert.True(scrape.Exports("streamspace_active_sessions_total"));
        Assert.Equal(1, scrape.Value("streamspace_database_up"));
    }

    public sealed class Portal : PortalFactory
    {
        public int MetricsPort { get; } = FreePort.Next();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Metrics:Port", MetricsPort.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("Metrics:Host", "127.0.0.1");
        }
    }
}
