using System.Globalization;
using StreamSpace.Domain.Usage;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Tests.Integration.Portal;

namespace StreamSpace.Tests.Integration.Admin;

/// <summary>The usage page's numbers: session-hours split at UTC midnight, open runs counted up to now, one tenant only.</summary>
public sealed class UsageTests(TwoTenantsPortal portal) : IClassFixture<TwoTenantsPortal>, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly DateTimeOffset Today = new(Now.UtcDateTime.Date, TimeSpan.Zero);
    private static readonly DateTimeOffset OpenSince = Today + (Now - Today) / 2;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        await using (var acme = portal.ContextOf(portal.Acme))
        {
            if (!acme.SessionRuns.Any())
            {
                var templateId = acme.Sessions.Single(s => s.Id == portal.AcmeSession).TemplateId;
                var closed = SessionRun.Begin(portal.AcmeSession, portal.Acme.Admin!.Id, templateId, Today.AddHours(-2));
                // Ends a minute after midnight, so the split is tested on any run of the day but its first minute.
                closed.End(Today.AddMinutes(1));
                acme.SessionRuns.AddRange(closed, SessionRun.Begin(portal.AcmeSession, portal.Acme.Admin!.Id, templateId, OpenSince));
                await acme.SaveChangesAsync();

                await using var initech = portal.ContextOf(portal.Initech);
                initech.SessionRuns.Add(SessionRun.Begin(portal.InitechSession, portal.Initech.Admin!.Id, templateId, Today.AddDays(-3)));
                await initech.SaveChangesAsync();
            }
        }

        _admin = portal.ClientFor("acme");
        await _admin.SignInAsync(TwoTenantsPortal.AcmeAdmin, Passwords.Good);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_csv_by_template_splits_a_run_at_midnight_and_counts_the_open_run_up_to_now()
    {
        var lines = await CsvAsync("template");

        Assert.Equal("day,template,session_hours", lines[0]);
        var terminal = BuiltInTemplates.All[0].DisplayName;
        Assert.Equal(2, lines.Length - 1);
        Assert.Equal($"{Day(Today.AddDays(-1))},{terminal},2.00", lines[1]);
        var today = lines[2].Split(',');
        Assert.Equal((Day(Today), terminal), (today[0], today[1]));
        var expected = (1 / 60.0) + (DateTimeOffset.UtcNow - OpenSince).TotalHours;
        Assert.InRange(double.Parse(today[2], CultureInfo.InvariantCulture), expected - 0.02, expected + 0.02);
    }

    [Fact]
    public async Task The_csv_by_member_names_the_member_and_leaves_out_other_tenants()
    {
        var lines = await CsvAsync("member");

        Assert.Equal("day,member,session_hours", lines[0]);
        Assert.All(lines[1..], line => Assert.Contains($",{TwoTenantsPortal.AcmeAdmin},", line, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.StartsWith(Day(Today.AddDays(-3)), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_page_renders_the_chart_data_and_a_table_row_per_day()
    {
        var html = await _admin.GetStringAsync("/admin/usage?by=member");

        Assert.Contains("<script type=\"application/json\" id=\"usage-data\">", html, StringComparison.Ordinal);
        Assert.Contains($"\"label\":\"{TwoTenantsPortal.AcmeAdmin}\"", html, StringComparison.Ordinal);
        Assert.Contains("/lib/chart.js/chart.umd.min.js", html, StringComparison.Ordinal);
        Assert.Equal(30, html.Split("<th scope=\"row\"").Length - 1);
        Assert.Contains($"<td class=\"text-end\">2.00</td>", html, StringComparison.Ordinal);
    }

    private async Task<string[]> CsvAsync(string by) =>
        (await _admin.GetStringAsync($"/admin/usage?handler=Csv&by={by}")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    private static string Day(DateTimeOffset day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
