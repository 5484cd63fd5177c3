using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using StreamSpace.Domain.Audit;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Audit;

/// <summary>The audit page, its pagination and CSV, and the database's refusal to change an event.</summary>
public sealed partial class AuditLogTests(TwoTenantsPortal portal) : IClassFixture<TwoTenantsPortal>, IAsyncLifetime
{
    private static readonly DateTimeOffset Base = new(2026, 1, 10, 9, 0, 0, TimeSpan.Zero);
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _admin = portal.ClientFor("acme");
        await _admin.SignInAsync(TwoTenantsPortal.AcmeAdmin, Passwords.Good);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_update_of_an_audit_event_in_raw_sql_fails_at_the_database()
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("UPDATE audit_events SET actor = 'someone else'"));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
        await using var db = portal.ContextOf(portal.Acme);
        Assert.DoesNotContain(await db.AuditEvents.Select(e => e.Actor).ToListAsync(), a => a == "someone else");
    }

    [Fact]
    public async Task A_delete_of_an_audit_event_in_raw_sql_fails_at_the_database()
    {
        var before = await CountAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("DELETE FROM audit_events"));

        Assert.Contains("append-only: DELETE", error.MessageText, StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task A_truncate_of_the_audit_table_fails_at_the_database()
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("TRUNCATE audit_events"));

        Assert.Contains("append-only: TRUNCATE", error.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audit_page_shows_the_tenants_own_events_and_not_another_tenants()
    {
        var html = await _admin.GetStringAsync("/admin/audit");

        Assert.Contains(TwoTenantsPortal.AcmeAdmin, html, StringComparison.Ordinal);
        Assert.Contains("tenant/acme", html, StringComparison.Ordinal);
        Assert.DoesNotContain(TwoTenantsPortal.InitechAdmin, html, StringComparison.Ordinal);
        Assert.DoesNotContain("tenant/initech", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_in_the_query_string_narrow_the_log_by_actor_action_target_and_time()
    {
        await SeedAsync(
            ("filter-a@acme.test", "session.launch", "session/filter-one", Base),
            ("filter-a@acme.test", "session.terminate", "session/filter-one", Base.AddHours(1)),
            ("filter-b@acme.test", "session.launch", "session/filter-two", Base.AddHours(2)));

        var byActor = Actions(await _admin.GetStringAsync("/admin/audit?actor=FILTER-A"));
        var byAction = Targets(await _admin.GetStringAsync("/admin/audit?action=session.launch&target=filter"));
        var byTime = Targets(await _admin.GetStringAsync("/admin/audit?target=filter&from=2026-01-10T09:30&to=2026-01-10T11:00"));

        Assert.Equal(["session.terminate", "session.launch"], byActor);
        Assert.Equal(["session/filter-two", "session/filter-one"], byAction);
        Assert.Equal(["session/filter-two", "session/filter-one"], byTime);
    }

    [Fact]
    public async Task A_filtered_htmx_request_returns_only_the_results_and_varies_on_hx_request()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/audit?action=tenant.create");
        request.Headers.Add("HX-Request", "true");

        var response = await _admin.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("HX-Request", response.Headers.Vary);
        Assert.DoesNotContain("<html", html, StringComparison.Ordinal);
        Assert.Single(Actions(html), AuditActions.TenantCreated);
    }

    [Fact]
    public async Task Older_events_load_page_by_page_from_the_last_one_shown_without_gaps_or_repeats()
    {
        await SeedAsync(Enumerable.Range(0, 120)
            .Select(i => ("pager@acme.test", "session.keep-awake", $"session/page-{i:D3}", Base.AddDays(-1).AddSeconds(i / 3)))
            .ToArray());

        var seen = new List<string>();
        var html = await _admin.GetStringAsync("/admin/audit?actor=pager");
        seen.AddRange(Targets(html));
        var pages = 1;
        while (MoreLink().Match(html) is { Success: true } more)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, WebUtility.HtmlDecode(more.Groups[1].Value));
            request.Headers.Add("HX-Request", "true");
            html = await (await _admin.SendAsync(request)).Content.ReadAsStringAsync();
            seen.AddRange(Targets(html));
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 120).Reverse().Select(i => $"session/page-{i:D3}"), seen);
    }

    [Fact]
    public async Task The_csv_holds_the_filtered_events_escaped_and_with_formulas_neutralised()
    {
        await SeedAsync(
            ("=HYPERLINK(\"http://evil.example\")", "member.sign-in-failed", "member/x, \"quoted\"", Base),
            ("csv@acme.test", "session.launch", "session/csv-one", Base.AddMinutes(1)),
            ("other@acme.test", "session.launch", "session/excluded", Base.AddMinutes(2)));

        var response = await _admin.GetAsync("/admin/audit?handler=Csv&target=x,%20%22quoted&action=member.sign-in-failed");
        var csv = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("time_utc,actor,action,target,source_ip,details", lines[0]);
        Assert.Equal(
            "2026-01-10T09:00:00.000000Z,\"'=HYPERLINK(\"\"http://evil.example\"\")\",member.sign-in-failed,\"member/x, \"\"quoted\"\"\",,",
            Assert.Single(lines[1..]));
    }

    [Fact]
    public async Task The_csv_of_an_unfiltered_log_has_every_event_of_the_tenant()
    {
        var csv = await _admin.GetStringAsync("/admin/audit?handler=Csv");

        Assert.Equal(await CountAsync(), csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1);
        Assert.DoesNotContain("initech", csv, StringComparison.Ordinal);
    }

    private async Task SeedAsync(params (string Actor, string Action, string Target, DateTimeOffset At)[] events)
    {
        await using var db = portal.ContextOf(portal.Acme);
        db.AuditEvents.AddRange(events.Select(e => AuditEvent.Create(e.At, e.Actor, null, e.Action, e.Target, null, null)));
        await db.SaveChangesAsync();
    }

    private async Task<int> CountAsync()
    {
        await using var db = portal.ContextOf(portal.Acme);
        return await db.AuditEvents.CountAsync();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(portal.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static List<string> Actions(string html) => [.. ActionCell().Matches(html).Select(m => m.Groups[1].Value)];

    private static List<string> Targets(string html) => [.. TargetCell().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    [GeneratedRegex("<tr data-action=\"([^\"]+)\"")]
    private static partial Regex ActionCell();

    [GeneratedRegex("<tr data-action=\"[^\"]+\">\\s*<td[^>]*>.*?</td>\\s*<td[^>]*>.*?</td>\\s*<td[^>]*><code>.*?</code></td>\\s*<td[^>]*>([^<]*)</td>", RegexOptions.Singleline)]
    private static partial Regex TargetCell();

    [GeneratedRegex("<tr id=\"audit-more\">.*?hx-get=\"([^\"]+)\"", RegexOptions.Singleline)]
    private static partial Regex MoreLink();
}
