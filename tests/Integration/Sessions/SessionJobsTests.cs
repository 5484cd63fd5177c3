extern alias workers;

using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Observability;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Portal;
using SessionJobs = workers::StreamSpace.Workers.Jobs.SessionJobs;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Sessions;

/// <summary>The lifecycle jobs against the real local runtime (bubblewrap, Xvnc, xterm) and PostgreSQL.</summary>
public sealed class SessionJobsTests(SessionJobsTests.Portal portal) : IClassFixture<SessionJobsTests.Portal>
{
    [Fact]
    public async Task Provisioning_runs_the_session_records_progress_and_sets_the_tier_deadline()
    {
        var sessionId = await LaunchAsync("xterm");

        await RunJobAsync((jobs, tenant) => jobs.ProvisionAsync(tenant, sessionId, CancellationToken.None));

        var session = await LoadAsync(sessionId);
        Assert.Equal(SessionState.Running, session.State);
        Assert.Equal("Ready", session.Progress);
        Assert.StartsWith("unix:/", session.Endpoint, StringComparison.Ordinal);
        Assert.Equal(session.StartedAt!.Value.AddHours(8), session.Deadline);
        await TerminateAsync(sessionId);
    }

    [Fact]
    public async Task Hibernate_resume_and_terminate_move_the_session_and_its_processes()
    {
        var sessionId = await LaunchAsync("xterm");
        await RunJobAsync((jobs, tenant) => jobs.ProvisionAsync(tenant, sessionId, CancellationToken.None));
        var uid = await UidAsync();
        Assert.NotEmpty(HostProcesses.OwnedBy(uid));

        await AsMemberAsync(sessions => sessions.HibernateAsync(portal.Acme.Admin!.Id, sessionId, CancellationToken.None));
        await RunJobAsync((jobs, tenant) => jobs.HibernateAsync(tenant, sessionId, CancellationToken.None));
        Assert.Equal(SessionState.Hibernated, (await LoadAsync(sessionId)).State);
        Assert.Empty(HostProcesses.OwnedBy(uid));

        await AsMemberAsync(sessions => sessions.ResumeAsync(portal.Acme.Admin!.Id, sessionId, CancellationToken.None));
        await RunJobAsync((jobs, tenant) => jobs.ResumeAsync(tenant, sessionId, CancellationToken.None));
        Assert.Equal(SessionState.Running, (await LoadAsync(sessionId)).State);

        await TerminateAsync(sessionId);
        Assert.Equal(SessionState.Terminated, (await LoadAsync(sessionId)).State);
        Assert.Empty(HostProcesses.OwnedBy(uid));
    }

    [Fact]
    public async Task A_crashing_start_leaves_the_session_failed_with_the_reason_and_nothing_running()
    {
        var sessionId = await LaunchAsync(Portal.CrashingTemplate);

        await RunJobAsync((jobs, tenant) => jobs.ProvisionAsync(tenant, sessionId, CancellationToken.None));

        var session = await LoadAsync(sessionId);
        Assert.Equal(SessionState.Failed, session.State);
        Assert.Contains("boom", session.FailureReason, StringComparison.Ordinal);
        Assert.Null(session.Endpoint);
        Assert.Empty(HostProcesses.OwnedBy(await UidAsync()));
        Assert.False(Directory.Exists(Path.Combine(portal.DataDirectory, "run", sessionId.ToString("D"))));
    }

    [Fact]
    public async Task Running_a_job_twice_changes_nothing_the_second_time()
    {
        var sessionId = await LaunchAsync("xterm");
        await RunJobAsync((jobs, tenant) => jobs.ProvisionAsync(tenant, sessionId, CancellationToken.None));
        var first = await LoadAsync(sessionId);

        await RunJobAsync((jobs, tenant) => jobs.ProvisionAsync(tenant, sessionId, CancellationToken.None));

        var second = await LoadAsync(sessionId);
        Assert.Equal((first.State, first.Endpoint, first.Version), (second.State, second.Endpoint, second.Version));
        await TerminateAsync(sessionId);
    }

    [Fact]
    public async Task A_terminated_sessions_polling_row_leaves_the_sessions_page_and_a_foreign_row_stays_404()
    {
        var sessionId = await LaunchAsync("xterm");
        await RunJobAsync((jobs, tenant) => jobs.ProvisionAsync(tenant, sessionId, CancellationToken.None));
        var client = portal.ClientFor("acme");
        await client.SignInAsync("ada@acme.test", Passwords.Good);

        await TerminateAsync(sessionId);
        var row = await client.SendAsync(RowRequest(sessionId));
        var unknown = await client.SendAsync(RowRequest(Guid.NewGuid()));

        Assert.Equal(System.Net.HttpStatusCode.OK, row.StatusCode);
        Assert.Equal(string.Empty, await row.Content.ReadAsStringAsync());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static HttpRequestMessage RowRequest(Guid sessionId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/sessions?handler=Row&id={sessionId}");
        request.Headers.Add("HX-Request", "true");
        return request;
    }

    private async Task<Guid> LaunchAsync(string template)
    {
        Guid id = default;
        await AsMemberAsync(async sessions => id = (await sessions.LaunchAsync(portal.Acme.Admin!.Id, template, CancellationToken.None)).Id);
        return id;
    }

    private async Task TerminateAsync(Guid sessionId)
    {
        await AsMemberAsync(sessions => sessions.TerminateAsync(portal.Acme.Admin!.Id, sessionId, CancellationToken.None));
        await RunJobAsync((jobs, tenant) => jobs.TerminateAsync(tenant, sessionId, CancellationToken.None));
    }

    private Task AsMemberAsync(Func<MemberSessions, Task> action) => portal.AsMemberAsync(portal.Acme.Tenant!, action);

    private Task RunJobAsync(Func<SessionJobs, Guid, Task> job) => portal.RunSessionJobAsync(portal.Acme.Tenant!.Id, job);

    private async Task<Session> LoadAsync(Guid sessionId)
    {
        await using var db = portal.ContextOf(portal.Acme);
        return await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == sessionId);
    }

    private async Task<int> UidAsync()
    {
        await using var db = portal.ContextOf(portal.Acme);
        return await db.Users.Where(m => m.Id == portal.Acme.Admin!.Id).Select(m => m.LocalUid).SingleAsync();
    }

    public sealed class Portal : PortalFactory
    {
        public const string CrashingTemplate = "crashes";

        public Infrastructure.Features.Tenants.SignupResult Acme { get; private set; } = null!;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Acme = await CreateTenantAsync("acme", "ada@acme.test");
            await using var platform = Database.CreateContext();
            platform.Templates.Add(Template.CreateGlobal(BuiltInTemplates.All[0]));
            platform.Templates.Add(Template.CreateGlobal(BuiltInTemplates.All[0] with
            {
                Name = CrashingTemplate,
                DisplayName = "Crashes at once",
                LocalCommand = "sh -c 'echo boom >&2; exit 3'",
            }));
            await platform.SaveChangesAsync();
        }

        public StreamSpaceDb ContextOf(Infrastructure.Features.Tenants.SignupResult tenant)
        {
            var context = new TenantContext();
            context.Use(tenant.Tenant!);
            return Database.CreateContext(context);
        }
    }
}
