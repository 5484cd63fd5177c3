extern alias workers;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Integration.Streaming;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Observability;

/// <summary>
/// <c>/metrics</c> of Web and Workers after a real launch, viewer stream, hibernate, resume, quota refusal and failed start:
/// sessions provisioned by the Workers' Hangfire server on the local runtime, scraped over HTTP.
/// </summary>
public sealed class MetricsTests(ObservabilityPortal portal) : IClassFixture<ObservabilityPortal>
{
    [Fact]
    public async Task A_launch_hibernate_resume_cycle_shows_in_the_metrics_of_web_and_workers()
    {
        var webBefore = await portal.ScrapeWebAsync();
        var before = await portal.ScrapeWorkersAsync();
        var client = portal.ClientFor("acme");
        await client.SignInAsync("ada@acme.test", Passwords.Good);

        var launched = await client.PostFormAsync("/catalog", new Dictionary<string, string>(), handlerQuery: "?handler=Launch&template=xterm", htmx: true);
        var id = Guid.Parse(launched.Headers.GetValues("HX-Redirect").Single().Split('/')[2]);
        await portal.WaitForStateAsync(id, SessionState.Running);
        await StreamAFewFramesAsync(id);

        var running = await portal.ScrapeWebAsync();
        Assert.Equal(1, running.Value("streamspace_active_sessions_total", ("tenant", "acme")));
        Assert.Equal(0, running.Value("streamspace_hibernated_sessions_total", ("tenant", "acme")));
        Assert.Equal(1, running.Value("streamspace_sessions", ("tenant", "acme"), ("state", "running")));
        Assert.Equal(BuiltInTemplates.All[0].DefaultMemoryBytes, running.Value("streamspace_resource_usage_bytes", ("tenant", "acme"), ("resource", "memory")));
        Assert.InRange(running.Value("streamspace_cluster_memory_usage_percent")!.Value, 0.0001, 100);
        Assert.Equal(1, running.Value("streamspace_gateway_connections_total"));
        Assert.Equal(0, running.Value("streamspace_gateway_connections"));
        Assert.True(running.Value("streamspace_gateway_bytes_total", ("direction", "to_viewer")) > 0);
        Assert.True(running.Value("streamspace_gateway_bytes_total", ("direction", "to_session")) > 0);
        Assert.Equal(1, running.Value("streamspace_database_up"));

        await client.PostFormAsync("/sessions", new Dictionary<string, string>(), handlerQuery: $"?handler=Hibernate&id={id}");
        await portal.WaitForStateAsync(id, SessionState.Hibernated);
        var hibernated = await portal.ScrapeWebAsync();
        Assert.Equal(0, hibernated.Value("streamspace_active_sessions_total", ("tenant", "acme")));
        Assert.Equal(1, hibernated.Value("streamspace_hibernated_sessions_total", ("tenant", "acme")));
        Assert.Equal(0, hibernated.Value("streamspace_resource_usage_bytes", ("tenant", "acme"), ("resource", "memory")));

        await client.PostFormAsync("/sessions", new Dictionary<string, string>(), handlerQuery: $"?handler=Resume&id={id}");
        await portal.WaitForStateAsync(id, SessionState.Running);

        var web = await portal.ScrapeWebAsync();
        Assert.Equal(1, web.Value("streamspace_active_sessions_total", ("tenant", "acme")));
        Assert.Equal(0, web.Value("streamspace_hibernated_sessions_total", ("tenant", "acme")));
        Assert.Equal(0, web.Value("streamspace_transitional_session_oldest_seconds", ("state", "resuming")));
        Assert.Contains(web.LabelSets("http_requests_received_total"), l => l["method"] == "POST" && l["code"] == "302");
        Assert.True(web.Exports("http_request_duration_seconds_bucket"));

        var workers = await portal.ScrapeWorkersAsync();
        Assert.Equal(1, workers.Value("streamspace_session_starts_total", ("tenant", "acme")));
        Assert.Equal(1, workers.Value("streamspace_hibernation_events_total", ("tenant", "acme"), ("reason", "user")));
        Assert.Equal(1, workers.Value("streamspace_session_start_duration_seconds_count", ("template", "xterm")));
        Assert.Equal(1, workers.Value("streamspace_session_resume_duration_seconds_count", ("template", "xterm")));
        Assert.InRange(workers.Value("streamspace_session_resume_duration_seconds_sum", ("template", "xterm"))!.Value, 0.01, 30);
        Assert.Equal(1, Runs(workers, "SessionJobs.Provision") - Runs(before, "SessionJobs.Provision"));
        Assert.Equal(1, Runs(workers, "SessionJobs.Hibernate") - Runs(before, "SessionJobs.Hibernate"));
        Assert.Equal(1, Runs(workers, "SessionJobs.Resume") - Runs(before, "SessionJobs.Resume"));
        Assert.Null(workers.Value("streamspace_job_failures_total", ("job_name", "SessionJobs.Provision")));
        Assert.Equal(1, workers.Value("streamspace_session_run_duration_seconds_count", ("tenant", "acme")));
        Assert.Equal(2, Logins(web) - Logins(webBefore));
        Assert.Null(workers.Value("streamspace_active_sessions_total", ("tenant", "acme")));
    }

    [Fact]
    public async Task A_refused_launch_and_a_failed_start_are_counted_by_limit_and_by_kind()
    {
        await using (var db = portal.AcmeDb())
        {
            db.Templates.Add(Template.CreateForTenant(portal.Acme.Tenant!.Id, BuiltInTemplates.All[0] with { Name = "broken", LocalCommand = "sh -c 'exit 3'" }));
            await db.SaveChangesAsync();
        }

        var broken = await LaunchAsync("broken");
        await portal.WaitForStateAsync(broken, SessionState.Failed);
        await portal.SetTierAsync("pro", l => l with { MaxSessions = 0 });
        await Assert.ThrowsAsync<QuotaExceededException>(() => LaunchAsync("xterm"));
        await portal.SetTierAsync("pro", l => l with { MaxSessions = 5 });

        var web = await portal.ScrapeWebAsync();
        var workers = await portal.ScrapeWorkersAsync();
        Assert.Equal(1, web.Value("streamspace_quota_refusals_total", ("tenant", "acme"), ("limit", "sessions")));
        Assert.Equal(1, workers.Value("streamspace_provisioning_failures_total", ("reason", "sandbox_start")));
        Assert.Equal(0, web.Value("streamspace_sessions", ("tenant", "acme"), ("state", "starting")));
    }

    [Fact]
    public async Task Session_gauges_come_from_the_database_whichever_process_changed_it()
    {
        await using (var db = portal.AcmeDb())
        {
            var template = await db.Templates.SingleAsync(t => t.Name == "xterm");
            db.Sessions.Add(Session.Create(portal.Acme.Admin!.Id, template.Id, "written-elsewhere", 1024, 100, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        }

        var scrape = await portal.ScrapeWebAsync();

        Assert.True(scrape.Value("streamspace_sessions", ("tenant", "acme"), ("state", "pending")) >= 1);
        Assert.InRange(scrape.Value("streamspace_transitional_session_oldest_seconds", ("state", "pending"))!.Value, 0, 60);
        await using (var db = portal.AcmeDb())
        {
            await db.Sessions.Where(s => s.Name == "written-elsewhere").ExecuteDeleteAsync();
        }
    }

    [Fact]
    public async Task Metrics_carry_no_session_id_label()
    {
        var scrape = await portal.ScrapeWebAsync();
        var workers = await portal.ScrapeWorkersAsync();

        Assert.DoesNotContain(scrape.Text + workers.Text, "session_id", StringComparison.Ordinal);
        Assert.DoesNotMatch("[0-9a-f]{8}-[0-9a-f]{4}-", scrape.Text + workers.Text);
    }

    private static double Logins(MetricsScrape scrape) => scrape.Value("streamspace_logins_total", ("tenant", "acme"), ("method", "password"), ("result", "succeeded")) ?? 0;

    private static double Runs(MetricsScrape scrape, string job) => scrape.Value("streamspace_job_duration_seconds_count", ("job_name", job)) ?? 0;

    private async Task<Guid> LaunchAsync(string template)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(portal.Acme.Tenant!);
        return (await scope.ServiceProvider.GetRequiredService<MemberSessions>().LaunchAsync(portal.Acme.Admin!.Id, template, CancellationToken.None)).Id;
    }

    private async Task StreamAFewFramesAsync(Guid id)
    {
        var signIn = await portal.ClientFor("acme").SignInAsync("ada@acme.test", Passwords.Good);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("streamspace=", StringComparison.Ordinal)).Split(';')[0];
        var ws = portal.Server.CreateWebSocketClient();
        ws.ConfigureRequest = request => request.Headers.Cookie = cookie;
        await using var viewer = new TestViewer(await ws.ConnectAsync(new Uri($"ws://acme.localhost/sessions/{id}/stream"), CancellationToken.None));
        await viewer.HandshakeAsync(CancellationToken.None);
        await viewer.SendAsync(RfbMessages.KeyEvent(true, 0x61), CancellationToken.None);
        await viewer.RequestUpdateAsync(false, 0, 0, viewer.Width, viewer.Height, CancellationToken.None);
        await viewer.ReadFramebufferUpdateAsync(CancellationToken.None);
    }
}
