using System.Net;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Infrastructure.Features.Members;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Admin;

public sealed class UserDocumentTests(AdminPortal portal) : IClassFixture<AdminPortal>
{
    [Fact]
    public async Task The_readme_user_example_imports_unchanged_and_sets_johns_tier_and_overrides()
    {
        await portal.AddMemberAsync(portal.Acme, "john@acme.test");
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);

        var response = await admin.PostFormAsync("/admin/members/import", new Dictionary<string, string> { ["Yaml"] = ProductExamples.User });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var db = portal.ContextOf(portal.Acme);
        var john = await db.Users.SingleAsync(m => m.Email == "john@acme.test");
        Assert.Equal(await db.Tiers.Where(t => t.Name == "pro").Select(t => (Guid?)t.Id).SingleAsync(), john.TierId);
        Assert.Equal(16L << 30, john.OverrideMemoryBytes);
        Assert.Equal(5, john.OverrideMaxSessions);
        Assert.Equal(100L << 30, john.OverrideStorageBytes);
        Assert.Equal(TimeSpan.FromHours(8), john.OverrideMaxSessionDuration);
        var change = Assert.Single(await portal.EventsAsync(portal.Acme, AuditActions.MemberChanged, "member/john@acme.test"));
        Assert.Equal(AdminPortal.AcmeAdmin, change.Actor);
        Assert.Equal(
            "imported: tier free → pro; memory override none → 16Gi; maxSessions override none → 5; storage override none → 100Gi; maxSessionDuration override none → 8h",
            change.Details);
    }

    [Fact]
    public async Task An_exported_member_reads_back_as_the_same_tier_and_overrides()
    {
        var (member, email) = await portal.NewAcmeMemberAsync("exported");
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var name = email.Split('@')[0];
        var yaml = ProductExamples.User.Replace("name: john", $"name: {name}", StringComparison.Ordinal).Replace("16Gi", "12Gi", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/members/import", new Dictionary<string, string> { ["Yaml"] = yaml })).StatusCode);

        var export = await admin.GetAsync($"/admin/members?handler=Export&id={member}");
        var read = UserYaml.Read(await export.Content.ReadAsStringAsync());

        Assert.Equal("application/yaml", export.Content.Headers.ContentType?.MediaType);
        var user = Assert.Single(read.Users);
        Assert.Equal(name, user.Name);
        Assert.Equal("pro", user.Tier);
        Assert.Equal(new Domain.Quotas.QuotaOverrides(12L << 30, 5, 100L << 30, TimeSpan.FromHours(8)), user.Overrides);
    }

    [Fact]
    public async Task Exporting_everyone_gives_one_document_per_member()
    {
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        await using var db = portal.ContextOf(portal.Acme);
        var count = await db.Users.CountAsync();

        var read = UserYaml.Read(await admin.GetStringAsync("/admin/members?handler=Export"));

        Assert.True(read.Succeeded, string.Join("; ", read.Problems));
        Assert.Equal(count, read.Users.Count);
        Assert.Contains(read.Users, u => u.Name == "ada" && u.Tier == "pro");
    }

    [Fact]
    public async Task Each_bad_field_is_named_with_its_line_and_nothing_is_imported()
    {
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var yaml = ProductExamples.User
            .Replace("name: john", "name: ada", StringComparison.Ordinal)
            .Replace("16Gi", "16GB", StringComparison.Ordinal)
            .Replace("maxSessions: 5", "maxSessions: five", StringComparison.Ordinal)
            .Replace("100Gi", "lots", StringComparison.Ordinal)
            .Replace("8h", "a day", StringComparison.Ordinal);

        var response = await admin.PostFormAsync("/admin/members/import", new Dictionary<string, string> { ["Yaml"] = yaml }, htmx: true);
        var html = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Contains("line 8: spec.quotas.memory: \"16GB\" is not a size such as 512Mi or 16Gi", html, StringComparison.Ordinal);
        Assert.Contains("line 9: spec.quotas.maxSessions: \"five\" is not a whole number of sessions from 0 to 1000", html, StringComparison.Ordinal);
        Assert.Contains("line 10: spec.quotas.storage: \"lots\" is not a size such as 10Gi or 100Gi", html, StringComparison.Ordinal);
        Assert.Contains("line 11: spec.quotas.maxSessionDuration: \"a day\" is not a duration such as 30m or 8h", html, StringComparison.Ordinal);
        await using var db = portal.ContextOf(portal.Acme);
        Assert.Null((await db.Users.SingleAsync(m => m.Email == AdminPortal.AcmeAdmin)).OverrideMemoryBytes);
    }

    [Fact]
    public async Task An_unknown_member_or_tier_is_named_with_its_line()
    {
        var admin = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var yaml = ProductExamples.User.Replace("name: john", "name: nobody", StringComparison.Ordinal)
            + "---\n" + ProductExamples.User.Replace("name: john", "name: ada", StringComparison.Ordinal).Replace("tier: pro", "tier: platinum", StringComparison.Ordinal);

        var response = await admin.PostFormAsync("/admin/members/import", new Dictionary<string, string> { ["Yaml"] = yaml }, htmx: true);
        var html = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Contains("line 4: metadata.name: \"nobody\" is not a member of this organisation; invite them first", html, StringComparison.Ordinal);
        Assert.Contains("line 18: spec.tier: \"platinum\" is not a tier; use one of: free, pro", html, StringComparison.Ordinal);
    }
}
