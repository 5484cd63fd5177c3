using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StreamSpace.Infrastructure.Runtimes.Local;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Observability;

public sealed class HealthTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Readiness_covers_postgresql_the_hangfire_storage_and_the_session_runtime_in_the_health_checks_ui_format()
    {
        var response = await portal.ClientFor(null).GetAsync("/healthz/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        var entries = json.RootElement.GetProperty("entries");
        foreach (var check in new[] { "postgresql", "hangfire", "session-runtime" })
        {
            Assert.Equal("Healthy", entries.GetProperty(check).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task The_local_runtime_is_not_ready_without_Xvnc_and_says_which_binary_is_missing()
    {
        var check = new LocalRuntimeHealthCheck(Options.Create(new LocalRuntimeOptions { DataDirectory = portal.DataDirectory, XvncPath = "/usr/bin/no-such-Xvnc" }));

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("/usr/bin/no-such-Xvnc", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_local_runtime_is_not_ready_when_its_data_directory_cannot_be_written()
    {
        var file = Path.Combine(Path.GetTempPath(), "ss-not-a-dir-" + Guid.NewGuid().ToString("N")[..6]);
        await File.WriteAllTextAsync(file, "a file where the data directory should be");
        try
        {
            var check = new LocalRuntimeHealthCheck(Options.Create(new LocalRuntimeOptions { DataDirectory = file }));

            var result = await check.CheckHealthAsync(new HealthCheckContext());

            Assert.Equal(HealthStatus.Unhealthy, result.Status);
            Assert.Contains("not writable", result.Description, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Operators_see_the_health_page_with_its_history_and_tenant_admins_do_not()
    {
        await portal.CreateTenantAsync("acme", "ada@acme.test");
        var op = await portal.OperatorClientAsync();
        var admin = portal.ClientFor("acme");
        await admin.SignInAsync("ada@acme.test", Passwords.Good);

        await op.GetAsync("/platform/health");
        var page = await op.GetStringAsync("/platform/health");

        Assert.Contains("data-check=\"postgresql\"", page, StringComparison.Ordinal);
        Assert.Contains("data-check=\"hangfire\"", page, StringComparison.Ordinal);
        Assert.Contains("data-check=\"session-runtime\"", page, StringComparison.Ordinal);
        Assert.True(System.Text.RegularExpressions.Regex.Count(page, "<time datetime=") >= 2, "Two visits leave at least two reports in the history.");
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/platform/health")).StatusCode);
    }

    [Fact]
    public async Task Each_check_result_is_exported_as_a_gauge()
    {
        var op = await portal.OperatorClientAsync();
        await op.GetAsync("/platform/health");

        using var scraper = portal.ClientFor(null);
        scraper.DefaultRequestHeaders.Authorization = new("Bearer", PortalFactory.MetricsScrapeToken);
        var scrape = new MetricsScrape(await scraper.GetStringAsync("/metrics"));

        Assert.Equal(1, scrape.Value("streamspace_health_status", ("check", "postgresql")));
        Assert.Equal(1, scrape.Value("streamspace_health_status", ("check", "hangfire")));
        Assert.Equal(1, scrape.Value("streamspace_health_status", ("check", "session-runtime")));
    }
}
