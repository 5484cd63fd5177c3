using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Streaming;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Lifecycle;

/// <summary>
/// Resume pressed the moment a session is Hibernated, and while the gateway's activity flush writes the same row: each
/// press wakes the session, or says why not; none is lost (#20: a resume right after "Hibernated" once did nothing for 90 s).
/// </summary>
public sealed partial class ResumeRaceTests(LifecyclePortal portal) : IClassFixture<LifecyclePortal>
{
    // make chaos runs 100 rounds; the suite 10.
    private static readonly int Rounds = int.TryParse(Environment.GetEnvironmentVariable("STREAMSPACE_RACE_ROUNDS"), out var rounds) ? rounds : 10;

    [Fact]
    public async Task Resume_posted_the_moment_the_row_says_hibernated_wakes_the_session_every_time()
    {
        var (client, token) = await SignedInAsync();
        var id = await LaunchAsync(client);

        for (var round = 1; round <= Rounds; round++)
        {
            await portal.WaitForStateAsync(id, SessionState.Running);
            await AssertRowAsync(await PostAsync(client, token, "Hibernate", id), round, "hibernate");

            // As soon as the row says Hibernated: no settle time, as a member clicking at once.
            while ((await portal.SessionAsync(id)).State != SessionState.Hibernated)
            {
                Assert.True((await portal.SessionAsync(id)).State is SessionState.Hibernating or SessionState.Hibernated, $"Round {round}: the session left Hibernating for {(await portal.SessionAsync(id)).State}.");
            }

            var resumed = await PostAsync(client, token, "Resume", id);
            var row = await AssertRowAsync(resumed, round, "resume");
            Assert.DoesNotContain(">Hibernated<", row, StringComparison.Ordinal);
        }

        await portal.WaitForStateAsync(id, SessionState.Running);
    }

    [Fact]
    public async Task Resume_while_the_activity_flush_writes_the_same_row_is_admitted()
    {
        var (client, token) = await SignedInAsync();
        var id = await LaunchAsync(client);
        var activity = portal.Services.GetRequiredService<InputActivity>();
        var flush = portal.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<InputActivityFlush>().Single();

        for (var round = 1; round <= Rounds; round++)
        {
            await portal.WaitForStateAsync(id, SessionState.Running);
            await AssertRowAsync(await PostAsync(client, token, "Hibernate", id), round, "hibernate");
            await portal.WaitForStateAsync(id, SessionState.Hibernated);

            // A viewer's last keystrokes reach the row in the same instant as the member's Resume.
            using var writing = new CancellationTokenSource();
            var flushes = Task.Run(async () =>
            {
                while (!writing.IsCancellationRequested)
                {
                    activity.RecordInput(id, DateTimeOffset.UtcNow);
                    await flush.FlushAsync(CancellationToken.None);
                }
            });
            var resumed = await PostAsync(client, token, "Resume", id);
            await writing.CancelAsync();
            await flushes;
            var row = await AssertRowAsync(resumed, round, "resume");
            Assert.DoesNotContain(">Hibernated<", row, StringComparison.Ordinal);
        }

        await portal.WaitForStateAsync(id, SessionState.Running);
    }

    [Fact]
    public async Task Two_resumes_at_once_from_two_tabs_both_answer_the_waking_row_and_wake_it_once()
    {
        var (client, token) = await SignedInAsync();
        var id = await LaunchAsync(client);
        var name = (await portal.SessionAsync(id)).Name;

        for (var round = 1; round <= Rounds; round++)
        {
            await portal.WaitForStateAsync(id, SessionState.Running);
            await AssertRowAsync(await PostAsync(client, token, "Hibernate", id), round, "hibernate");
            await portal.WaitForStateAsync(id, SessionState.Hibernated);

            var both = await Task.WhenAll(PostAsync(client, token, "Resume", id), PostAsync(client, token, "Resume", id));
            foreach (var resumed in both)
            {
                Assert.DoesNotContain(">Hibernated<", await AssertRowAsync(resumed, round, "resume"), StringComparison.Ordinal);
            }
        }

        await portal.WaitForStateAsync(id, SessionState.Running);
        await using var db = portal.AcmeDb();
        var resumes = await db.AuditEvents.CountAsync(e => e.Action == AuditActions.SessionResumed && e.Target == $"session/{name}");
        Assert.Equal(Rounds, resumes);
    }

    private async Task<(HttpClient Client, string Token)> SignedInAsync()
    {
        var client = portal.ClientFor("acme");
        await client.SignInAsync("ada@acme.test", Passwords.Good);
        var page = await (await client.GetAsync("/sessions")).Content.ReadAsStringAsync();
        return (client, WebUtility.HtmlDecode(AntiforgeryToken().Match(page).Groups[1].Value));
    }

    private async Task<Guid> LaunchAsync(HttpClient client)
    {
        var response = await client.PostFormAsync("/catalog", new Dictionary<string, string>(), handlerQuery: "?handler=Launch&template=xterm", htmx: true);
        var id = Guid.Parse(response.Headers.GetValues("HX-Redirect").Single().Split('/')[2]);
        await portal.WaitForStateAsync(id, SessionState.Running);
        return id;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string token, string handler, Guid id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/sessions?handler={handler}&id={id}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }),
        };
        request.Headers.Add("HX-Request", "true");
        return await client.SendAsync(request);
    }

    /// <summary>The row the page swaps in: 200 and no refusal.</summary>
    private static async Task<string> AssertRowAsync(HttpResponseMessage response, int round, string action)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Round {round}: {action} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 400)]}");
        Assert.DoesNotContain("role=\"alert\"", body, StringComparison.Ordinal);
        return body;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
