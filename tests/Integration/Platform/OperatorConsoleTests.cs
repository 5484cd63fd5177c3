using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Common;
using StreamSpace.Domain.Members;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Tenants;
using StreamSpace.Infrastructure.Features.Platform;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Audit;
using StreamSpace.Tests.Integration.Lifecycle;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Integration.Streaming;

namespace StreamSpace.Tests.Integration.Platform;

/// <summary>The operator console: tenants with caps and usage, cap edits, suspension and reactivation, capacity.</summary>
public sealed class OperatorConsoleTests(LifecyclePortal portal) : IClassFixture<LifecyclePortal>, IAsyncLifetime
{
    private const string Operator = "op@platform.test";
    private HttpClient _operator = null!;

    public async Task InitializeAsync()
    {
        var account = await portal.Services.GetRequiredService<PlatformSetup>()
            .EnsureAccountAsync(Tenant.PlatformSlug, "StreamSpace platform", Operator, MemberRole.PlatformAdmin, null, CancellationToken.None);
        _operator = portal.ClientFor(Tenant.PlatformSlug).FromClientAddress();
        await _operator.SignInAsync(account.Email, account.Password);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Operators_see_each_tenant_with_its_caps_and_usage_and_the_machines_memory_as_capacity()
    {
        var html = await _operator.GetStringAsync("/platform");

        Assert.Contains("id=\"tenant-acme\"", html, StringComparison.Ordinal);
        Assert.Contains("/ 64Gi", html, StringComparison.Ordinal);
        Assert.Contains("1 / 50", html, StringComparison.Ordinal);
        var machine = await new Infrastructure.Runtimes.Local.LocalRuntimeCapacity().ReadAsync(CancellationToken.None);
        Assert.Contains($"of {Quantity.FormatReadable(machine.MemoryBytes)}", html, StringComparison.Ordinal);
        Assert.Contains("/proc/meminfo", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/platform/jobs\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_caps_give_each_field_its_message_and_change_nothing()
    {
        var response = await _operator.PostFormAsync("/platform", Caps("lots", "-1", "0", "10 GB"), "?handler=Caps&slug=acme", htmx: true);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("Enter a memory size such as 64Gi", html, StringComparison.Ordinal);
        Assert.Contains("Enter a whole number of sessions", html, StringComparison.Ordinal);
        Assert.Contains("Enter a whole number of members from 1 to 1,000,000", html, StringComparison.Ordinal);
        Assert.Contains("Enter a storage size such as 500Gi", html, StringComparison.Ordinal);
        Assert.Equal(PlanCaps.Default, (await AcmeAsync()).Plan);
    }

    [Fact]
    public async Task Without_javascript_the_caps_form_opens_in_its_row_and_shows_messages_there()
    {
        var edit = await _operator.GetStringAsync("/platform?edit=acme");
        var refused = await _operator.PostFormAsync("/platform", Caps("64Gi", "many", "50", "500Gi"), "?handler=Caps&slug=acme");

        Assert.Contains("name=\"Caps.Memory\" value=\"64Gi\"", edit, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Enter a whole number of sessions", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await _operator.PostFormAsync("/platform", Caps("64Gi", "20", "50", "500Gi"), "?handler=Caps&slug=acme")).StatusCode);
    }

    [Fact]
    public async Task Saving_caps_changes_the_plan_and_writes_one_event_in_the_tenants_log_by_the_operator()
    {
        var response = await _operator.PostFormAsync("/platform", Caps("32Gi", "10", "50", "500Gi"), "?handler=Caps&slug=acme", htmx: true);

        Assert.Contains("/ 32Gi", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(PlanCaps.Default with { MemoryBytes = 32L << 30, RunningSessions = 10 }, (await AcmeAsync()).Plan);
        var recorded = await AuditRecords.SingleAsync(portal.AcmeDb(), AuditActions.TenantCapsChanged, "tenant/acme");
        Assert.Equal(
            (Operator, AuditRecords.ClientAddress, "memory 64Gi → 32Gi, running sessions 20 → 10 (by platform operator)"),
            (recorded.Actor, recorded.SourceIp, recorded.Details));
        await _operator.PostFormAsync("/platform", Caps("64Gi", "20", "50", "500Gi"), "?handler=Caps&slug=acme", htmx: true);
    }

    [Fact]
    public async Task Suspending_hibernates_sessions_closes_streams_ends_cookies_and_refuses_sign_ins_until_reactivated()
    {
        var session = await LaunchAsync();
        var ada = portal.ClientFor("acme");
        var signIn = await ada.SignInAsync("ada@acme.test", Passwords.Good);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("streamspace=", StringComparison.Ordinal)).Split(';')[0];
        var sockets = portal.Server.CreateWebSocketClient();
        sockets.ConfigureRequest = request => request.Headers.Cookie = cookie;
        await using var viewer = new TestViewer(await sockets.ConnectAsync(new Uri($"ws://acme.localhost/sessions/{session}/stream"), CancellationToken.None));
        await viewer.HandshakeAsync(CancellationToken.None);

        await _operator.PostFormAsync("/platform", new Dictionary<string, string>(), "?handler=Suspend&slug=acme", htmx: true);

        Assert.True(await viewer.WaitForCloseAsync(TimeSpan.FromSeconds(30)), "The stream stayed open after the suspension.");
        Assert.Equal("suspended", (await portal.WaitForStateAsync(session, SessionState.Hibernated)).HibernateReason);
        var catalog = await ada.GetAsync("/catalog");
        Assert.Equal(HttpStatusCode.Redirect, catalog.StatusCode);
        Assert.Equal("/login", catalog.Headers.Location!.AbsolutePath);
        var refused = await portal.ClientFor("acme").SignInAsync("ada@acme.test", Passwords.Good);
        Assert.Contains("This organisation is suspended", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using (var db = portal.AcmeDb())
        {
            Assert.Equal(
                "organisation suspended",
                (await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.SignInFailed && e.Target == "member/ada@acme.test")).Details);
        }

        var suspended = await AuditRecords.SingleAsync(portal.AcmeDb(), AuditActions.TenantSuspended, "tenant/acme");
        Assert.Equal((Operator, AuditRecords.ClientAddress, TenantOperations.OperatorNote), (suspended.Actor, suspended.SourceIp, suspended.Details));

        await _operator.PostFormAsync("/platform", new Dictionary<string, string>(), "?handler=Reactivate&slug=acme", htmx: true);

        Assert.Equal(HttpStatusCode.Redirect, (await portal.ClientFor("acme").SignInAsync("ada@acme.test", Passwords.Good)).StatusCode);
        var reactivated = await AuditRecords.SingleAsync(portal.AcmeDb(), AuditActions.TenantReactivated, "tenant/acme");
        Assert.Equal((Operator, AuditRecords.ClientAddress), (reactivated.Actor, reactivated.SourceIp));
        Assert.Equal(TenantStatus.Active, (await AcmeAsync()).Status);
    }

    [Fact]
    public async Task A_session_still_starting_when_its_tenant_is_suspended_hibernates_once_it_runs()
    {
        Guid id;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(portal.Acme.Tenant!);
            id = (await scope.ServiceProvider.GetRequiredService<MemberSessions>().LaunchAsync(portal.Acme.Admin!.Id, "xterm", CancellationToken.None)).Id;
        }

        await _operator.PostFormAsync("/platform", new Dictionary<string, string>(), "?handler=Suspend&slug=acme", htmx: true);

        var hibernated = await portal.WaitForStateAsync(id, SessionState.Hibernated, TimeSpan.FromSeconds(90));
        Assert.Equal("suspended", hibernated.HibernateReason);
        await _operator.PostFormAsync("/platform", new Dictionary<string, string>(), "?handler=Reactivate&slug=acme", htmx: true);
    }

    [Fact]
    public async Task The_platform_organisation_cannot_be_suspended()
    {
        var response = await _operator.PostFormAsync("/platform", new Dictionary<string, string>(), "?handler=Suspend&slug=platform");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<Tenant> AcmeAsync()
    {
        await using var db = portal.Database.CreateContext();
        return await db.Tenants.AsNoTracking().SingleAsync(t => t.Slug == "acme");
    }

    private async Task<Guid> LaunchAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(portal.Acme.Tenant!);
        var session = await scope.ServiceProvider.GetRequiredService<MemberSessions>().LaunchAsync(portal.Acme.Admin!.Id, "xterm", CancellationToken.None);
        await portal.WaitForStateAsync(session.Id, SessionState.Running);
        return session.Id;
    }

    private static Dictionary<string, string> Caps(string memory, string sessions, string members, string storage) => new()
    {
        ["Caps.Memory"] = memory,
        ["Caps.RunningSessions"] = sessions,
        ["Caps.Members"] = members,
        ["Caps.Storage"] = storage,
    };
}
