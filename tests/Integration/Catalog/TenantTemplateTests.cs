using System.Net;
using Microsoft.EntityFrameworkCore;
using StreamSpace.Domain.Audit;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Catalog;

public sealed class TenantTemplateTests(CatalogPortal portal) : IClassFixture<CatalogPortal>
{
    [Fact]
    public async Task The_readme_example_imports_unchanged_through_the_page_and_is_audited()
    {
        var client = await portal.SignedInAsync("acme", CatalogPortal.AcmeAdmin);

        var response = await client.PostFormAsync("/admin/templates/import", new Dictionary<string, string> { ["Yaml"] = ProductExamples.Template });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var db = portal.ContextOf(portal.Acme);
        var template = await db.Templates.SingleAsync(t => t.Name == "my-app");
        Assert.Equal(portal.Acme.Tenant!.Id, template.TenantId);
        Assert.Equal("myregistry/myapp:latest", template.Image);
        Assert.Equal(4L << 30, template.DefaultMemoryBytes);
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == AuditActions.TemplateImported && e.Target == "template/my-app"));
        Assert.Contains("data-template=\"my-app\"", await client.GetStringAsync("/catalog?q=custom"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exported_template_imports_into_another_organisation_as_the_same_template()
    {
        var acme = await portal.SignedInAsync("acme", CatalogPortal.AcmeAdmin);
        var yaml = ProductExamples.Template.Replace("name: my-app", "name: round-trip", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await acme.PostFormAsync("/admin/templates/import", new Dictionary<string, string> { ["Yaml"] = yaml })).StatusCode);

        var export = await acme.GetAsync("/admin/templates?handler=Export&name=round-trip");
        var exported = await export.Content.ReadAsStringAsync();
        var initech = await portal.SignedInAsync("initech", CatalogPortal.InitechAdmin);
        var imported = await initech.PostFormAsync("/admin/templates/import", new Dictionary<string, string> { ["Yaml"] = exported });

        Assert.Equal("application/yaml", export.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Redirect, imported.StatusCode);
        await using var acmeDb = portal.ContextOf(portal.Acme);
        await using var initechDb = portal.ContextOf(portal.Initech);
        Assert.Equal(
            (await acmeDb.Templates.SingleAsync(t => t.Name == "round-trip")).ToDefinition(),
            (await initechDb.Templates.SingleAsync(t => t.Name == "round-trip")).ToDefinition());
    }

    [Fact]
    public async Task A_global_template_exports_as_yaml_that_reads_back_to_its_definition()
    {
        var client = await portal.SignedInAsync("acme", CatalogPortal.AcmeAdmin);

        var yaml = await client.GetStringAsync("/admin/templates?handler=Export&name=xterm");

        Assert.Equal(BuiltInTemplates.Named("xterm"), TemplateYaml.Read(yaml).Templates.Single().Definition);
    }

    [Fact]
    public async Task A_text_with_one_bad_document_saves_none_and_names_the_line()
    {
        var client = await portal.SignedInAsync("acme", CatalogPortal.AcmeAdmin);
        var good = ProductExamples.Template.Replace("name: my-app", "name: good-one", StringComparison.Ordinal);
        var bad = ProductExamples.Template.Replace("name: my-app", "name: bad-one", StringComparison.Ordinal).Replace("4Gi", "4Gb", StringComparison.Ordinal);

        var response = await client.PostFormAsync("/admin/templates/import", new Dictionary<string, string> { ["Yaml"] = good + "---\n" + bad }, htmx: true);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("line 25: spec.defaultResources.memory: &quot;4Gb&quot; is not a size such as 512Mi or 2Gi", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", html, StringComparison.Ordinal);
        await using var db = portal.ContextOf(portal.Acme);
        Assert.False(await db.Templates.AnyAsync(t => t.Name == "good-one" || t.Name == "bad-one"));
    }

    [Fact]
    public async Task A_name_already_in_the_catalog_is_refused()
    {
        var client = await portal.SignedInAsync("acme", CatalogPortal.AcmeAdmin);

        var response = await client.PostFormAsync(
            "/admin/templates/import",
            new Dictionary<string, string> { ["Yaml"] = ProductExamples.Template.Replace("name: my-app", "name: firefox", StringComparison.Ordinal) });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("line 4: metadata.name: &quot;firefox&quot; is already the name of a template in the catalog", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_form_names_the_bad_field_then_creates_and_edits_the_template_with_audit()
    {
        var client = await portal.SignedInAsync("acme", CatalogPortal.AcmeAdmin);
        var fields = new Dictionary<string, string>
        {
            ["Draft.Name"] = "team-notes",
            ["Draft.DisplayName"] = "Team notes",
            ["Draft.Category"] = "Productivity",
            ["Draft.Image"] = "lscr.io/linuxserver/hedgedoc:latest",
            ["Draft.Memory"] = "4Gb",
            ["Draft.Cpu"] = "500m",
            ["Draft.Ports"] = "http:3000",
            ["Draft.Capabilities"] = "network",
        };

        var refused = await client.PostFormAsync("/admin/templates/edit", fields, htmx: true);
        fields["Draft.Memory"] = "1Gi";
        var created = await client.PostFormAsync("/admin/templates/edit", fields);
        fields["Draft.DisplayName"] = "Team notebook";
        var edited = await client.PostFormAsync("/admin/templates/edit/team-notes", fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("&quot;4Gb&quot; is not a size such as 512Mi or 2Gi", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        await using var db = portal.ContextOf(portal.Acme);
        var template = await db.Templates.SingleAsync(t => t.Name == "team-notes");
        Assert.Equal("Team notebook", template.DisplayName);
        Assert.Equal(1L << 30, template.DefaultMemoryBytes);
        var actions = await db.AuditEvents.Where(e => e.Target == "template/team-notes").Select(e => e.Action).ToListAsync();
        Assert.Equal([AuditActions.TemplateCreated, AuditActions.TemplateUpdated], actions.Order());
    }

    [Fact]
    public async Task A_global_template_cannot_be_edited_by_a_tenant()
    {
        var client = await portal.SignedInAsync("acme", CatalogPortal.AcmeAdmin);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/admin/templates/edit/firefox")).StatusCode);
    }

    [Fact]
    public async Task A_disabled_template_vanishes_from_that_organisations_catalog_and_cannot_be_launched()
    {
        var admin = await portal.SignedInAsync("globex", CatalogPortal.GlobexAdmin);

        var disabled = await admin.PostFormAsync("/admin/templates", new Dictionary<string, string>(), "?handler=Disable&name=xterm", htmx: true);
        var catalog = await admin.GetStringAsync("/catalog?q=terminal");
        var launch = await admin.PostFormAsync("/catalog", new Dictionary<string, string>(), "?handler=Launch&template=xterm", htmx: true);
        var elsewhere = await (await portal.SignedInAsync("initech", CatalogPortal.InitechAdmin)).GetStringAsync("/catalog?q=terminal");

        Assert.Contains("Disabled", await disabled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("data-template=\"xterm\"", catalog, StringComparison.Ordinal);
        Assert.Contains("Terminal is switched off for your organisation", await launch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("data-template=\"xterm\"", elsewhere, StringComparison.Ordinal);

        await admin.PostFormAsync("/admin/templates", new Dictionary<string, string>(), "?handler=Enable&name=xterm");
        Assert.Contains("data-template=\"xterm\"", await admin.GetStringAsync("/catalog?q=terminal"), StringComparison.Ordinal);
        await using var db = portal.ContextOf(portal.Globex);
        var actions = await db.AuditEvents.Where(e => e.Target == "template/xterm").OrderBy(e => e.Id).Select(e => e.Action).ToListAsync();
        Assert.Equal([AuditActions.TemplateDisabled, AuditActions.TemplateEnabled], actions);
        Assert.Equal(0, await db.Sessions.CountAsync());
    }

    [Fact]
    public async Task Members_who_are_not_admins_cannot_manage_templates()
    {
        var client = await portal.SignedInAsync("acme", CatalogPortal.AcmeMember);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/admin/templates")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/admin/templates/import")).StatusCode);
    }
}
