extern alias workers;

using System.Diagnostics;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Features.Tenants;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Support;
using SessionReconcile = workers::StreamSpace.Workers.Jobs.SessionReconcile;

namespace StreamSpace.Tests.Integration.Reliability;

/// <summary>
/// Workers killed with SIGKILL in the middle of each session job (#20 item 2): the Workers program runs as a child
/// process, is killed while the session is provisioning, hibernating, resuming and terminating, and started again. After
/// drift repair each step ends where it was going, with one sandbox per running session and one audit event per request.
/// </summary>
public sealed class WorkerKillTests(WorkerKillTests.KillPortal portal, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<WorkerKillTests.KillPortal>
{
    [Fact]
    public async Task Workers_killed_during_provision_hibernate_resume_and_terminate_leave_one_sandbox_and_no_session_in_between()
    {
        var uid = portal.Acme.Admin!.LocalUid;
        var id = Guid.Empty;

        await KilledDuringAsync(SessionState.Starting, async s => id = (await s.LaunchAsync(portal.Acme.Admin.Id, "xterm", CancellationToken.None)).Id, () => id);
        await RepairedToAsync(id, SessionState.Running);
        Assert.Equal(1, XvncCount(uid));

        await KilledDuringAsync(SessionState.Hibernating, s => s.HibernateAsync(portal.Acme.Admin.Id, id, CancellationToken.None), () => id);
        await RepairedToAsync(id, SessionState.Hibernated);
        Assert.Equal(0, XvncCount(uid));

        await KilledDuringAsync(SessionState.Resuming, s => s.ResumeAsync(portal.Acme.Admin.Id, id, CancellationToken.None), () => id);
        await RepairedToAsync(id, SessionState.Running);
        Assert.Equal(1, XvncCount(uid));

        await KilledDuringAsync(SessionState.Terminating, s => s.TerminateAsync(portal.Acme.Admin.Id, id, CancellationToken.None), () => id);
        await RepairedToAsync(id, SessionState.Terminated);
        Assert.Equal(0, XvncCount(uid));

        // One event per request, however often its job ran.
        await using var db = portal.AcmeDb();
        var name = (await db.Sessions.SingleAsync(s => s.Id == id)).Name;
        var events = await db.AuditEvents.Where(e => e.Target == $"session/{name}").Select(e => e.Action).ToListAsync();
        Assert.Equal(1, events.Count(a => a == AuditActions.SessionLaunched));
        Assert.Equal(1, events.Count(a => a == AuditActions.SessionHibernated));
        Assert.Equal(1, events.Count(a => a == AuditActions.SessionResumed));
        Assert.Equal(1, events.Count(a => a == AuditActions.SessionTerminated));
        Assert.DoesNotContain(AuditActions.SessionFailed, events);
    }

    /// <summary>Asks for the step with Workers running, kills them with SIGKILL as soon as the row is in <paramref name="state"/>, starts them again.</summary>
    private async Task KilledDuringAsync(SessionState state, Func<MemberSessions, Task> ask, Func<Guid> session)
    {
        portal.StartWorkers();
        await portal.AsAdminAsync(ask);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await portal.StateAsync(session())) != state)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The session never was {state}. Workers said:\n{portal.Output[^Math.Min(portal.Output.Length, 3000)..]}");
        }

        portal.KillWorkers();
        portal.StartWorkers();
    }

    /// <summary>Drift repair (the reconcile job, run now on the restarted Workers) finishes the step.</summary>
    private async Task RepairedToAsync(Guid id, SessionState state)
    {
        var repair = Stopwatch.StartNew();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (await portal.StateAsync(id) is var now && now != state)
        {
            Assert.True(DateTime.UtcNow < deadline && now != SessionState.Failed, $"The session stayed {now} ({await portal.FailureAsync(id)}), not {state}. Workers said:\n{portal.Output[^Math.Min(portal.Output.Length, 4000)..]}");
            portal.Services.GetRequiredService<IRecurringJobManager>().Trigger(SessionReconcile.JobId);
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        output.WriteLine($"{state} {repair.Elapsed.TotalSeconds:0.0} s after the restart");
        portal.KillWorkers();
    }

    private static int XvncCount(int uid) =>
        HostProcesses.OwnedBy(uid).Count(pid => File.Exists($"/proc/{pid}/comm") && File.ReadAllText($"/proc/{pid}/comm").Trim() == "Xvnc");

    /// <summary>The portal in-process; the Workers program as a child process on the same database and data directory.</summary>
    public sealed class KillPortal : PortalFactory, IAsyncLifetime
    {
        private readonly System.Text.StringBuilder _output = new();
        private Process? _workers;

        public SignupResult Acme { get; private set; } = null!;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Acme = await CreateTenantAsync("acme", "ada@acme.test");
            await using var platform = Database.CreateContext();
            platform.Templates.Add(Template.CreateGlobal(BuiltInTemplates.All[0]));
            await platform.SaveChangesAsync();
        }

        public new async Task DisposeAsync()
        {
            KillWorkers();
            await base.DisposeAsync();
        }

        public void StartWorkers()
        {
            KillWorkers();
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            var project = Path.Combine(Repository.Root, "src", "Workers");
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = project, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(project, "bin", configuration, "net10.0", "StreamSpace.Workers.dll"));
            start.Environment["DOTNET_ENVIRONMENT"] = "Production";
            start.Environment["ConnectionStrings__StreamSpace"] = Database.ConnectionString;
            start.Environment["Runtime__Local__DataDirectory"] = DataDirectory;
            start.Environment["Runtime__Local__StopGracePeriod"] = "00:00:03";
            start.Environment["Reconcile__LostAfter"] = "00:00:00";
            start.Environment["Reconcile__StuckAfter"] = "00:00:05";
            start.Environment["Metrics__Host"] = "127.0.0.1";
            start.Environment["Metrics__Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
            _workers = Process.Start(start) ?? throw new InvalidOperationException("Workers did not start.");
            _workers.OutputDataReceived += (_, e) => Log(e.Data);
            _workers.ErrorDataReceived += (_, e) => Log(e.Data);
            _workers.BeginOutputReadLine();
            _workers.BeginErrorReadLine();
        }

        /// <summary>What the Workers processes printed, for a failure's message.</summary>
        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        private void Log(string? line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }

        /// <summary>SIGKILL: no stop hook runs, as when the kernel or an orchestrator kills the process.</summary>
        public void KillWorkers()
        {
            if (_workers is { HasExited: false })
            {
                _workers.Kill();
                _workers.WaitForExit();
            }

            _workers?.Dispose();
            _workers = null;
        }

        public async Task AsAdminAsync(Func<MemberSessions, Task> action)
        {
            await using var scope = Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(Acme.Tenant!);
            await action(scope.ServiceProvider.GetRequiredService<MemberSessions>());
        }

        public async Task<SessionState> StateAsync(Guid id)
        {
            var context = new TenantContext();
            context.Use(Acme.Tenant!);
            await using var db = Database.CreateContext(context);
            return await db.Sessions.AsNoTracking().Where(s => s.Id == id).Select(s => s.State).SingleAsync();
        }

        public async Task<string?> FailureAsync(Guid id)
        {
            await using var db = AcmeDb();
            return await db.Sessions.AsNoTracking().Where(s => s.Id == id).Select(s => s.FailureReason).SingleAsync();
        }

        public StreamSpace.Infrastructure.Data.StreamSpaceDb AcmeDb()
        {
            var context = new TenantContext();
            context.Use(Acme.Tenant!);
            return Database.CreateContext(context);
        }
    }
}
