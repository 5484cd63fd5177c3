using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Members;
using StreamSpace.Domain.Tenants;
using StreamSpace.Domain.Tiers;
using StreamSpace.Infrastructure.Features.Platform;
using StreamSpace.Tests.Integration.Audit;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Admin;

/// <summary>
/// Every numeric field of the portal's forms, and the invitation e-mail, posted far out of range: each answers with a message under
/// its field that names the maximum, never a 500 (an <see cref="OverflowException"/> or PostgreSQL's "value too long").
/// </summary>
public sealed partial class OutOfRangeInputTests(AdminPortal portal) : IClassFixture<AdminPortal>
{
    private const string Huge = "99999999999999999999999";

    [Theory]
    [InlineData("tier-create", "Memory", Huge + "Ti", "\"99999999999999999999999Ti\" is more than the maximum, 64Ti.")]
    [InlineData("tier-create", "Cpu", "99999999", "\"99999999\" is more than the maximum, 1024 cores.")]
    [InlineData("tier-create", "Cpu", Huge + "m", "\"99999999999999999999999m\" is more than the maximum, 1024 cores.")]
    [InlineData("tier-create", "MaxSessions", Huge, "\"99999999999999999999999\" is not a number of sessions from 0 to 1000.")]
    [InlineData("tier-create", "Storage", Huge + "Ti", "\"99999999999999999999999Ti\" is more than the maximum, 1024Ti.")]
    [InlineData("tier-create", "MaxSessionDuration", "99999999h", "\"99999999h\" is more than the maximum, 30d.")]
    [InlineData("tier-create", "IdleTimeout", Huge + "d", "\"99999999999999999999999d\" is more than the maximum, 30d.")]
    [InlineData("tier-save", "Memory", "65Ti", "\"65Ti\" is more than the maximum, 64Ti.")]
    [InlineData("tier-save", "Cpu", "99999999", "\"99999999\" is more than the maximum, 1024 cores.")]
    [InlineData("tier-save", "Storage", Huge + "Ti", "\"99999999999999999999999Ti\" is more than the maximum, 1024Ti.")]
    [InlineData("tier-save", "MaxSessionDuration", "31d", "\"31d\" is more than the maximum, 30d.")]
    [InlineData("member-override", "Memory", Huge + "Ti", "\"99999999999999999999999Ti\" is more than the maximum, 64Ti.")]
    [InlineData("member-override", "MaxSessions", Huge, "\"99999999999999999999999\" is not a number of sessions from 0 to 1000.")]
    [InlineData("member-override", "Storage", Huge + "Ti", "\"99999999999999999999999Ti\" is more than the maximum, 1024Ti.")]
    [InlineData("member-override", "MaxSessionDuration", "99999999h", "\"99999999h\" is more than the maximum, 30d.")]
    [InlineData("template", "Memory", Huge + "Ti", "\"99999999999999999999999Ti\" is more than the maximum, 64Ti")]
    [InlineData("template", "Cpu", "99999999", "\"99999999\" is more than the maximum, 1024 cores")]
    [InlineData("caps", "Memory", Huge + "Ti", "\"99999999999999999999999Ti\" is more than the maximum, 1024Ti.")]
    [InlineData("caps", "RunningSessions", Huge, "Enter a whole number of sessions from 0 to 100,000.")]
    [InlineData("caps", "Members", "99999999", "Enter a whole number of members from 1 to 1,000,000.")]
    [InlineData("caps", "Storage", Huge + "Ti", "\"99999999999999999999999Ti\" is more than the maximum, 1024Ti.")]
    [InlineData("sso", "DisplayName", "101 characters", "Use at most 100 characters.")]
    [InlineData("sso", "Issuer", "501 characters", "Use at most 500 characters.")]
    [InlineData("sso", "ClientId", "201 characters", "Use at most 200 characters.")]
    [InlineData("template", "DisplayName", "", "Display name is required")]
    public async Task An_out_of_range_value_gets_a_message_under_its_field_and_no_500(string form, string field, string value, string message)
    {
        var response = form switch
        {
            "tier-create" => await TierCreateAsync(field, value),
            "tier-save" => await TierSaveAsync(field, value),
            "member-override" => await MemberOverrideAsync(field, value),
            "template" => await TemplateAsync(field, value),
            "caps" => await CapsAsync(field, value),
            "sso" => await SsoAsync(field, value),
            _ => throw new ArgumentOutOfRangeException(nameof(form)),
        };
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.True((int)response.StatusCode is 200 or 422, $"{(int)response.StatusCode}: {html[..Math.Min(html.Length, 500)]}");
        Assert.Contains(message, FieldMessages(html));
    }

    [Fact]
    public async Task The_tier_preview_names_an_out_of_range_field_instead_of_failing()
    {
        var client = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var tier = await NewTierAsync();

        var response = await client.PostFormAsync("/admin/tiers", TierFields("Storage", Huge + "Ti"), $"?handler=Preview&id={tier}", htmx: true);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"99999999999999999999999Ti\" is more than the maximum, 1024Ti.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_document_with_too_much_memory_is_refused_with_its_line_and_the_maximum()
    {
        var client = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var yaml = ProductExamples.User.Replace("name: john", "name: ada", StringComparison.Ordinal).Replace("16Gi", Huge + "Ti", StringComparison.Ordinal);

        var response = await client.PostFormAsync("/admin/members/import", new Dictionary<string, string> { ["Yaml"] = yaml }, htmx: true);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("line 8: spec.quotas.memory: \"99999999999999999999999Ti\" is more than the maximum, 64Ti", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_document_tells_every_problem_at_once_an_unknown_member_and_tier_among_them()
    {
        var client = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var yaml = ProductExamples.User
            .Replace("name: john", "name: nobody", StringComparison.Ordinal)
            .Replace("tier: pro", "tier: platinum", StringComparison.Ordinal)
            .Replace("16Gi", "16GB", StringComparison.Ordinal);

        var response = await client.PostFormAsync("/admin/members/import", new Dictionary<string, string> { ["Yaml"] = yaml }, htmx: true);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Contains("line 4: metadata.name: \"nobody\" is not a member of this organisation; invite them first", html, StringComparison.Ordinal);
        Assert.Contains("line 6: spec.tier: \"platinum\" is not a tier", html, StringComparison.Ordinal);
        Assert.Contains("line 8: spec.quotas.memory: \"16GB\" is not a size such as 512Mi or 16Gi", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invitation_email_longer_than_the_column_is_refused_under_the_field_without_a_link()
    {
        var client = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var email = new string('a', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".test";

        var response = await client.PostFormAsync("/admin/members", new Dictionary<string, string> { ["Invite.Email"] = email, ["Invite.Role"] = MemberRole.User }, "?handler=Invite", htmx: true);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.True(response.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains($"An e-mail address has at most 254 characters; this one has {email.Length}.", FieldMessages(html));
        Assert.DoesNotContain("id=\"invite-link\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_side_tier_name_error_appears_under_the_name_field()
    {
        var client = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);

        var response = await client.PostFormAsync("/admin/tiers", TierFields("Name", "Team A"), "?handler=Create", htmx: true);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Matches(NameMessage(), html);
    }

    [Fact]
    public async Task Caps_below_current_use_are_held_back_with_a_warning_until_the_operator_saves_anyway()
    {
        await portal.AddMemberAsync(portal.Initech, "carl@initech.test", MemberRole.User);
        var low = new Dictionary<string, string> { ["Caps.Memory"] = "64Gi", ["Caps.RunningSessions"] = "20", ["Caps.Members"] = "1", ["Caps.Storage"] = "500Gi" };
        var client = await OperatorAsync();

        var warned = await client.PostFormAsync("/platform", low, "?handler=Caps&slug=initech", htmx: true);
        var warning = WebUtility.HtmlDecode(await warned.Content.ReadAsStringAsync());
        var kept = (await TenantAsync("initech")).Plan.Members;
        low["Caps.BelowUseConfirmed"] = "true";
        var saved = await client.PostFormAsync("/platform", low, "?handler=Caps&slug=initech", htmx: true);

        Assert.Contains("Below the 2 members now: no one is removed, but no one new can join.", warning, StringComparison.Ordinal);
        Assert.Contains("Save anyway", warning, StringComparison.Ordinal);
        Assert.Equal(PlanCaps.Default.Members, kept);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(1, (await TenantAsync("initech")).Plan.Members);
    }

    /// <summary>The texts of the field messages (<c>_FieldMessage</c>) in the page.</summary>
    private static List<string> FieldMessages(string html) =>
        [.. FieldMessage().Matches(html).Select(m => m.Groups[1].Value.Trim())];

    [GeneratedRegex("""<div id="[^"]+-(?:message|help)" class="form-text text-danger" role="alert">\s*<i class="bi bi-exclamation-circle" aria-hidden="true"></i>([^<]*)</div>""")]
    private static partial Regex FieldMessage();

    [GeneratedRegex("""<div id="name-new-message" class="form-text text-danger" role="alert">\s*<i[^>]*></i>\s*A tier name uses lowercase letters""")]
    private static partial Regex NameMessage();

    private async Task<HttpResponseMessage> TierCreateAsync(string field, string value)
    {
        var client = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        return await client.PostFormAsync("/admin/tiers", TierFields(field, value), "?handler=Create", htmx: true);
    }

    private async Task<HttpResponseMessage> TierSaveAsync(string field, string value)
    {
        var client = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        return await client.PostFormAsync("/admin/tiers", TierFields(field, value), $"?handler=Save&id={await NewTierAsync()}", htmx: true);
    }

    private async Task<HttpResponseMessage> MemberOverrideAsync(string field, string value)
    {
        var client = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var (member, _) = await portal.NewAcmeMemberAsync("overridden");
        var fields = new Dictionary<string, string> { ["Form.Role"] = MemberRole.User, [$"Form.{field}"] = value };
        return await client.PostFormAsync("/admin/members", fields, $"?handler=Save&id={member}", htmx: true);
    }

    private async Task<HttpResponseMessage> TemplateAsync(string field, string value)
    {
        var client = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        var fields = new Dictionary<string, string>
        {
            ["Draft.Name"] = "huge",
            ["Draft.DisplayName"] = "Huge",
            ["Draft.Category"] = "Productivity",
            ["Draft.Image"] = "lscr.io/linuxserver/hedgedoc:latest",
            ["Draft.Memory"] = "1Gi",
            ["Draft.Cpu"] = "500m",
            ["Draft.Ports"] = "http:3000",
        };
        fields[$"Draft.{field}"] = value;
        return await client.PostFormAsync("/admin/templates/edit", fields, htmx: true);
    }

    private async Task<HttpResponseMessage> CapsAsync(string field, string value)
    {
        var fields = new Dictionary<string, string> { ["Caps.Memory"] = "64Gi", ["Caps.RunningSessions"] = "20", ["Caps.Members"] = "50", ["Caps.Storage"] = "500Gi" };
        fields[$"Caps.{field}"] = value;
        return await (await OperatorAsync()).PostFormAsync("/platform", fields, "?handler=Caps&slug=acme", htmx: true);
    }

    /// <summary>Posts the SSO form with <paramref name="field"/> as long as <paramref name="length"/> says ("101 characters").</summary>
    private async Task<HttpResponseMessage> SsoAsync(string field, string length)
    {
        var characters = int.Parse(length.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        var fields = new Dictionary<string, string>
        {
            ["Form.DisplayName"] = "Keycloak",
            ["Form.Issuer"] = "https://sso.example.com/realms/acme",
            ["Form.ClientId"] = "streamspace",
            ["Form.ClientSecret"] = "secret",
        };
        fields[$"Form.{field}"] = field == "Issuer" ? "https://sso.example.com/" + new string('a', characters - 24) : new string('a', characters);
        var client = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);
        return await client.PostFormAsync("/admin/sso", fields, "?handler=Save");
    }

    [Fact]
    public async Task A_too_long_api_client_name_is_refused_with_a_message_and_no_500()
    {
        var client = await portal.SignedInAsync("acme", AdminPortal.AcmeAdmin);

        var response = await client.PostFormAsync("/admin/api-clients", new Dictionary<string, string> { ["Name"] = new string('n', 101), ["Scopes"] = "sessions" }, "?handler=Create");
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The field Name must be a string with a maximum length of 100.", html, StringComparison.Ordinal);
    }

    private async Task<HttpClient> OperatorAsync()
    {
        var account = await portal.Services.GetRequiredService<PlatformSetup>()
            .EnsureAccountAsync(Tenant.PlatformSlug, "StreamSpace platform", "op@platform.test", MemberRole.PlatformAdmin, null, CancellationToken.None);
        var client = portal.ClientFor(Tenant.PlatformSlug).FromClientAddress();
        await client.SignInAsync(account.Email, account.Password);
        return client;
    }

    private async Task<Tenant> TenantAsync(string slug)
    {
        await using var db = portal.Database.CreateContext();
        return await db.Tenants.AsNoTracking().SingleAsync(t => t.Slug == slug);
    }

    private async Task<Guid> NewTierAsync()
    {
        await using var db = portal.ContextOf(portal.Acme);
        var tier = Tier.Create($"t-{Guid.NewGuid().ToString("N")[..8]}", Tier.Defaults()[0].Limits, Tier.Defaults()[0].Dlp);
        db.Tiers.Add(tier);
        await db.SaveChangesAsync();
        return tier.Id;
    }

    private static Dictionary<string, string> TierFields(string field, string value)
    {
        var fields = new Dictionary<string, string>
        {
            ["Form.Name"] = $"t-{Guid.NewGuid().ToString("N")[..8]}",
            ["Form.Memory"] = "4Gi",
            ["Form.Cpu"] = "2",
            ["Form.MaxSessions"] = "1",
            ["Form.Storage"] = "10Gi",
            ["Form.MaxSessionDuration"] = "2h",
            ["Form.IdleTimeout"] = "15m",
        };
        fields[$"Form.{field}"] = value;
        return fields;
    }
}
