using StreamSpace.Domain.Audit;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Audit;

/// <summary>Each template change through the admin pages writes exactly one event, by the admin, from their address.</summary>
public sealed class TemplateAuditTests(TwoTenantsPortal portal) : IClassFixture<TwoTenantsPortal>, IAsyncLifetime
{
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _admin = portal.ClientFor("acme").FromClientAddress();
        await _admin.SignInAsync(TwoTenantsPortal.AcmeAdmin, Passwords.Good);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Creating_a_template_with_the_form_writes_one_event_naming_its_image()
    {
        await _admin.PostFormAsync("/admin/templates/edit", Draft("audit-created", "Audit created"));

        AssertByAdmin(await AuditRecords.SingleAsync(portal.ContextOf(portal.Acme), AuditActions.TemplateCreated, "template/audit-created"), "lscr.io/linuxserver/hedgedoc:latest");
    }

    [Fact]
    public async Task Editing_a_template_writes_one_update_event()
    {
        await _admin.PostFormAsync("/admin/templates/edit", Draft("audit-edited", "Audit edited"));

        await _admin.PostFormAsync("/admin/templates/edit/audit-edited", Draft("audit-edited", "Audit edited again"));

        AssertByAdmin(await AuditRecords.SingleAsync(portal.ContextOf(portal.Acme), AuditActions.TemplateUpdated, "template/audit-edited"), null);
    }

    [Fact]
    public async Task Importing_yaml_writes_one_import_event_per_template()
    {
        await _admin.PostFormAsync("/admin/templates/import", new Dictionary<string, string> { ["Yaml"] = ProductExamples.Template });

        AssertByAdmin(await AuditRecords.SingleAsync(portal.ContextOf(portal.Acme), AuditActions.TemplateImported, "template/my-app"), "myregistry/myapp:latest");
    }

    [Fact]
    public async Task Disabling_and_enabling_a_template_write_one_event_each_and_repeating_writes_none()
    {
        await _admin.PostFormAsync("/admin/templates", new Dictionary<string, string>(), "?handler=Disable&name=xterm");
        await _admin.PostFormAsync("/admin/templates", new Dictionary<string, string>(), "?handler=Disable&name=xterm");
        await _admin.PostFormAsync("/admin/templates", new Dictionary<string, string>(), "?handler=Enable&name=xterm");
        await _admin.PostFormAsync("/admin/templates", new Dictionary<string, string>(), "?handler=Enable&name=xterm");

        AssertByAdmin(await AuditRecords.SingleAsync(portal.ContextOf(portal.Acme), AuditActions.TemplateDisabled, "template/xterm"), null);
        AssertByAdmin(await AuditRecords.SingleAsync(portal.ContextOf(portal.Acme), AuditActions.TemplateEnabled, "template/xterm"), null);
    }

    private void AssertByAdmin(Domain.Audit.AuditEvent recorded, string? details) =>
        Assert.Equal((TwoTenantsPortal.AcmeAdmin, portal.Acme.Admin!.Id, AuditRecords.ClientAddress, details), (recorded.Actor, recorded.ActorId, recorded.SourceIp, recorded.Details));

    private static Dictionary<string, string> Draft(string name, string displayName) => new()
    {
        ["Draft.Name"] = name,
        ["Draft.DisplayName"] = displayName,
        ["Draft.Category"] = "Productivity",
        ["Draft.Image"] = "lscr.io/linuxserver/hedgedoc:latest",
        ["Draft.Memory"] = "1Gi",
        ["Draft.Cpu"] = "500m",
        ["Draft.Ports"] = "http:3000",
        ["Draft.Capabilities"] = "network",
    };
}
