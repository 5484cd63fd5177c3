using System.Collections.Concurrent;
using System.Net;
using StreamSpace.Domain.Sessions;
using StreamSpace.Tests.Integration.Lifecycle;
using StreamSpace.Tests.Integration.LocalRuntime;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Reliability;

/// <summary>
/// PostgreSQL restarted while members use the portal (#20 item 3): a cluster of the test's own is stopped and started
/// under a steady load of page views and htmx actions, with the Workers' Hangfire server running.
/// </summary>
public sealed class DatabaseRestartTests(DatabaseRestartTests.RestartPortal portal, Xunit.Abstractions.ITestOutputHelper output)
    : IClassFixture<DatabaseRestartTests.RestartPortal>
{
    private static readonly string[] Pages = ["/catalog", "/sessions", "/"];

    [Fact]
    public async Task While_the_database_restarts_pages_answer_503_with_retry_after_never_500_and_afterwards_a_launch_is_provisioned()
    {
        var client = portal.ClientFor("acme");
        await client.SignInAsync("ada@acme.test", Passwords.Good);
        var running = await LaunchRunningAsync(client);

        var answers = new ConcurrentBag<(string Path, HttpStatusCode Status, string? RetryAfter, string Body)>();
        using var load = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            while (!load.IsCancellationRequested)
            {
                var path = Pages[i % Pages.Length];
                try
                {
                    using var response = await client.GetAsync(path);
                    answers.Add((path, response.StatusCode, response.Headers.RetryAfter?.ToString(), await response.Content.ReadAsStringAsync()));
                }
                catch (HttpRequestException e)
                {
                    answers.Add((path, 0, null, e.Message));
                }

                await Task.Delay(20);
            }
        })).ToArray();

        await Task.Delay(500);

        // A hibernation asked for just before the stop: its job runs before, during or after the outage, never lost.
        var hibernating = await LaunchRunningAsync(client);
        using (var hibernate = new HttpRequestMessage(HttpMethod.Post, $"/sessions?handler=Hibernate&id={hibernating}"))
        {
            hibernate.Headers.Add("HX-Request", "true");
            hibernate.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = await TokenAsync(client) });
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(hibernate)).StatusCode);
        }

        var stopped = System.Diagnostics.Stopwatch.StartNew();
        await portal.Cluster.StopAsync();
        try
        {
            // While it is down: a page, an htmx action and the readiness probe, each as a member and an orchestrator see them.
            await Eventually.TrueAsync(() => answers.Any(a => a.Status == HttpStatusCode.ServiceUnavailable), "a page answered 503 while the database was down", TimeSpan.FromSeconds(20));
            using var down = await client.GetAsync("/catalog");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("5", down.Headers.RetryAfter?.ToString());
            var page = await down.Content.ReadAsStringAsync();
            Assert.Contains("StreamSpace is briefly unavailable", page, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", page, StringComparison.Ordinal);
            Assert.DoesNotContain("Npgsql", page, StringComparison.Ordinal);

            using var action = new HttpRequestMessage(HttpMethod.Post, $"/sessions?handler=Hibernate&id={running}");
            action.Headers.Add("HX-Request", "true");
            using var refused = await client.SendAsync(action);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);

            // A script or the viewer asking for JSON gets a problem document, not the page.
            using var json = new HttpRequestMessage(HttpMethod.Get, "/sessions");
            json.Headers.Accept.ParseAdd("application/json");
            using var problem = await client.SendAsync(json);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, problem.StatusCode);
            Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);

            using var ready = await client.GetAsync("/healthz/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            using var live = await client.GetAsync("/healthz/live");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        finally
        {
            await portal.Cluster.StartAgainAsync();
        }

        // Back: ready again, pages again, and the Workers' Hangfire server provisions a launch made after the restart.
        var restarted = stopped.Elapsed;
        await EventuallyAsync(async () => (await client.GetAsync("/healthz/ready")).StatusCode == HttpStatusCode.OK, "ready again after the restart");
        var readyAgain = stopped.Elapsed;
        await EventuallyAsync(async () => (await client.GetAsync("/catalog")).StatusCode == HttpStatusCode.OK, "the catalog answers again");
        await load.CancelAsync();
        await Task.WhenAll(readers);

        output.WriteLine(
            $"{answers.Count} page answers: {answers.Count(a => a.Status == HttpStatusCode.OK)} × 200, {answers.Count(a => a.Status == HttpStatusCode.ServiceUnavailable)} × 503, " +
            $"{answers.Count(a => a.Status is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable))} other; database down {restarted.TotalSeconds:0.0} s, ready again {readyAgain.TotalSeconds:0.0} s after the stop");
        Assert.DoesNotContain(answers, a => a.Status == HttpStatusCode.InternalServerError);
        Assert.All(answers, a => Assert.True(
            a.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable,
            $"{a.Path} answered {(int)a.Status} during the restart: {a.Body[..Math.Min(a.Body.Length, 300)]}"));
        Assert.All(answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable), a => Assert.Equal("5", a.RetryAfter));

        Assert.Equal(SessionState.Running, (await portal.SessionAsync(running)).State);
        await portal.WaitForStateAsync(hibernating, SessionState.Hibernated, TimeSpan.FromSeconds(60));
        await LaunchRunningAsync(client);
    }

    private async Task<Guid> LaunchRunningAsync(HttpClient client)
    {
        var response = await client.PostFormAsync("/catalog", new Dictionary<string, string>(), handlerQuery: "?handler=Launch&template=xterm", htmx: true);
        var id = Guid.Parse(response.Headers.GetValues("HX-Redirect").Single().Split('/')[2]);
        await portal.WaitForStateAsync(id, SessionState.Running, TimeSpan.FromSeconds(60));
        return id;
    }

    private static async Task<string> TokenAsync(HttpClient client)
    {
        var page = await (await client.GetAsync("/sessions")).Content.ReadAsStringAsync();
        var match = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within 60 s: {what}.");
            await Task.Delay(200);
        }
    }

    /// <summary>The lifecycle portal (Web and Workers) on a PostgreSQL cluster of its own, which the test restarts.</summary>
    public sealed class RestartPortal : LifecyclePortal, IAsyncLifetime
    {
        private PrivatePostgres? _cluster;

        public PrivatePostgres Cluster => _cluster ?? throw new InvalidOperationException("Not started.");

        public new async Task DisposeAsync()
        {
            await base.DisposeAsync();
            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }
        }

        protected override async Task<TestDatabase> CreateDatabaseAsync()
        {
            _cluster = await PrivatePostgres.StartAsync();
            return await TestDatabase.CreateAsync(nameof(DatabaseRestartTests), _cluster.Server);
        }
    }
}
