extern alias workers;

using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Audit;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Portal;
using StreamSpace.Tests.Integration.Streaming;
using StreamSpace.Tests.Support;
using IdleSweep = workers::StreamSpace.Workers.Jobs.IdleSweep;
using QuotaEnforcement = workers::StreamSpace.Workers.Jobs.QuotaEnforcement;
using SessionReconcile = workers::StreamSpace.Workers.Jobs.SessionReconcile;

using StreamSpace.Tests.Integration.LocalRuntime;

namespace StreamSpace.Tests.Integration.Lifecycle;

/// <summary>Idle hibernation, deadlines, quota enforcement and drift repair, with sessions provisioned by the real Hangfire server.</summary>
public sealed class LifecycleTests(LifecyclePortal portal) : IClassFixture<LifecyclePortal>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public async Task InitializeAsync()
    {
        // Every test starts from generous limits and leaves nothing running for the next one.
        await portal.SetTierAsync("pro", l => l with { MaxSessions = 5, IdleTimeout = TimeSpan.FromMinutes(30), MaxSessionDuration = TimeSpan.FromHours(8) });
    }

    public async Task DisposeAsync()
    {
        await using var db = portal.AcmeDb();
        foreach (var id in await db.Sessions.Where(s => s.State == SessionState.Running || s.State == SessionState.Hibernated).Select(s => s.Id).ToListAsync())
        {
            await AsAdminAsync(s => s.TerminateAsync(portal.Acme.Admin!.Id, id, CancellationToken.None));
            await portal.WaitForStateAsync(id, SessionState.Terminated);
        }
    }

    [Fact]
    public async Task A_launch_through_the_portal_is_provisioned_by_the_workers_hangfire_server()
    {
        var client = portal.ClientFor("acme");
        await client.SignInAsync("ada@acme.test", Passwords.Good);

        var response = await client.PostFormAsync("/catalog", new Dictionary<string, string>(), handlerQuery: "?handler=Launch&template=xterm", htmx: true);

        var viewer = response.Headers.GetValues("HX-Redirect").Single();
        var id = Guid.Parse(viewer.Split('/')[2]);
        var running = await portal.WaitForStateAsync(id, SessionState.Running);
        Assert.Equal("Ready", running.Progress);
    }

    [Fact]
    public async Task Every_line_a_session_job_logs_carries_the_tenant_and_the_session()
    {
        var id = await LaunchRunningAsync();
        await AsAdminAsync(s => s.HibernateAsync(portal.Acme.Admin!.Id, id, CancellationToken.None));
        await portal.WaitForStateAsync(id, SessionState.Hibernated);

        // The job's own lines ("running at", "hibernated") and the runtime's, each inside the job's scope. The job logs
        // "hibernated" just after committing the state the test waited for, so its line may come a moment later.
        List<string> JobLines() => [.. portal.WorkersLog.Lines.Where(l => l.Contains(" StreamSpace.Workers.Jobs.SessionJobs ", StringComparison.Ordinal))];
        await Eventually.TrueAsync(() => JobLines().Exists(l => l.Contains("hibernated", StringComparison.Ordinal) && l.Contains(id.ToString(), StringComparison.Ordinal)), "the job logged the hibernation");
        var lines = JobLines();
        Assert.Contains(lines, l => l.Contains("running at", StringComparison.Ordinal) && l.Contains(id.ToString(), StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("hibernated", StringComparison.Ordinal) && l.Contains(id.ToString(), StringComparison.Ordinal));
        Assert.All(
            lines.Where(l => l.Contains(id.ToString(), StringComparison.Ordinal)),
            l => Assert.Contains($"TenantId={portal.Acme.Tenant!.Id},SessionId={id}", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_session_without_input_hibernates_after_the_idle_timeout_and_keeps_its_home()
    {
        await portal.SetTierAsync("pro", l => l with { IdleTimeout = TimeSpan.FromSeconds(2) });
        var id = await LaunchRunningAsync();
        var home = Directory.GetDirectories(Path.Combine(portal.DataDirectory, "homes", "acme")).Single();
        await File.WriteAllTextAsync(Path.Combine(home, "keep.txt"), "kept");

        await SweepUntilAsync(id, SessionState.Hibernated);

        Assert.Equal("kept", await File.ReadAllTextAsync(Path.Combine(home, "keep.txt")));
        Assert.Equal("idle 2s", (await portal.SessionAsync(id)).HibernateReason);
        Assert.True(await AuditedAsync(AuditActions.SessionHibernated, "idle 2s"));
    }

    [Fact]
    public async Task Input_through_the_gateway_keeps_the_session_running_and_stopping_it_lets_it_sleep()
    {
        await portal.SetTierAsync("pro", l => l with { IdleTimeout = TimeSpan.FromSeconds(3) });
        var id = await LaunchRunningAsync();
        await using (var viewer = await ViewerAsync(id))
        {
            var until = DateTime.UtcNow.AddSeconds(7);
            while (DateTime.UtcNow < until)
            {
                await viewer.SendAsync(RfbMessages.KeyEvent(true, 0x61), CancellationToken.None);
                await viewer.SendAsync(RfbMessages.KeyEvent(false, 0x61), CancellationToken.None);
                await Task.Delay(300);
                await Sweep();
            }

            Assert.Equal(SessionState.Running, (await portal.SessionAsync(id)).State);
        }

        await SweepUntilAsync(id, SessionState.Hibernated);
    }

    [Fact]
    public async Task The_max_duration_hibernates_despite_input()
    {
        await portal.SetTierAsync("pro", l => l with { MaxSessionDuration = TimeSpan.FromSeconds(3) });
        var id = await LaunchRunningAsync();
        await using var viewer = await ViewerAsync(id);

        var deadline = DateTime.UtcNow + Patience;
        while ((await portal.SessionAsync(id)).State == SessionState.Running)
        {
            Assert.True(DateTime.UtcNow < deadline, "The deadline never hibernated the session.");
            await viewer.SendAsync(RfbMessages.PointerEvent(0, 10, 10), CancellationToken.None);
            await Sweep();
            await Task.Delay(200);
        }

        await portal.WaitForStateAsync(id, SessionState.Hibernated);
        Assert.Equal("max duration 3s", (await portal.SessionAsync(id)).HibernateReason);
    }

    [Fact]
    public async Task Enforcement_running_again_while_the_newest_session_still_hibernates_keeps_the_older_one_running()
    {
        var older = await LaunchRunningAsync();
        var newer = await LaunchRunningAsync();
        await portal.SetTierAsync("pro", l => l with { MaxSessions = 1 });

        // The first run has begun hibernating the newer session; its job has not finished when the schedule runs again.
        await using (var db = portal.AcmeDb())
        {
            (await db.Sessions.SingleAsync(s => s.Id == newer)).BeginHibernate("quota", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        await using (var scope = portal.Workers.CreateAsyncScope())
        {
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<QuotaEnforcement>().RunAsync(CancellationToken.None));
        }

        Assert.Equal(SessionState.Running, (await portal.SessionAsync(older)).State);
        await using (var db = portal.AcmeDb())
        {
            (await db.Sessions.SingleAsync(s => s.Id == newer)).MarkHibernated(DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        await AsAdminAsync(s => s.TerminateAsync(portal.Acme.Admin!.Id, newer, CancellationToken.None));
    }

    [Fact]
    public async Task Lowering_the_tier_hibernates_the_newest_sessions_until_they_fit()
    {
        var older = await LaunchRunningAsync();
        var newer = await LaunchRunningAsync();

        await portal.SetTierAsync("pro", l => l with { MaxSessions = 1 });
        await using (var scope = portal.Workers.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<QuotaEnforcement>().RunAsync(CancellationToken.None);
        }

        await portal.WaitForStateAsync(newer, SessionState.Hibernated);
        Assert.Equal(SessionState.Running, (await portal.SessionAsync(older)).State);
        Assert.Equal("quota", (await portal.SessionAsync(newer)).HibernateReason);
    }

    [Fact]
    public async Task A_session_whose_processes_died_is_failed_with_a_reason_and_can_be_resumed()
    {
        var id = await LaunchRunningAsync();
        KillSandbox(id);

        await ReconcileAsync();

        var failed = await portal.WaitForStateAsync(id, SessionState.Failed);
        Assert.Contains("stopped unexpectedly", failed.FailureReason, StringComparison.Ordinal);
        await AsAdminAsync(s => s.ResumeAsync(portal.Acme.Admin!.Id, id, CancellationToken.None));
        await portal.WaitForStateAsync(id, SessionState.Running);
    }

    [Fact]
    public async Task A_session_whose_xvnc_was_killed_is_failed_with_a_reason_and_resume_streams_again()
    {
        var id = await LaunchRunningAsync();
        var xvnc = Assert.Single(XvncOf(id));

        // Only the display server dies, as under an OOM kill; the app loses its display.
        System.Diagnostics.Process.GetProcessById(xvnc).Kill();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await ReconcileAsync();

        var failed = await portal.WaitForStateAsync(id, SessionState.Failed);
        Assert.Contains("stopped unexpectedly", failed.FailureReason, StringComparison.Ordinal);
        await AsAdminAsync(s => s.ResumeAsync(portal.Acme.Admin!.Id, id, CancellationToken.None));
        await portal.WaitForStateAsync(id, SessionState.Running);
        Assert.Single(XvncOf(id));
    }

    [Fact]
    public async Task A_sandbox_without_a_session_row_is_stopped()
    {
        // A sandbox started for a row that is gone by the time drift repair looks.
        Guid orphan;
        await using (var db = portal.AcmeDb())
        {
            var template = await db.Templates.SingleAsync(t => t.Name == "xterm");
            var session = Session.Create(portal.Acme.Admin!.Id, template.Id, "xterm-orphan", template.DefaultMemoryBytes, template.DefaultCpuMillicores, DateTimeOffset.UtcNow);
            db.Sessions.Add(session);
            await db.SaveChangesAsync();
            orphan = session.Id;
        }

        var runtime = portal.Workers.GetRequiredService<ISessionRuntime>();
        await runtime.EnsureStartedAsync(await SpecForAsync(orphan), new Progress<string>(), CancellationToken.None);
        await using (var db = portal.AcmeDb())
        {
            await db.Sessions.Where(s => s.Id == orphan).ExecuteDeleteAsync();
        }

        await ReconcileAsync();

        Assert.DoesNotContain(await runtime.ObserveAsync(CancellationToken.None), o => o.SessionId == orphan && o.Running);
    }

    [Fact]
    public async Task A_worker_that_died_during_provisioning_leaves_one_sandbox_after_drift_repair()
    {
        // What a crashed worker leaves: the row says Starting, the sandbox it began is running, no job is left.
        Guid id;
        await using (var db = portal.AcmeDb())
        {
            var template = await db.Templates.SingleAsync(t => t.Name == "xterm");
            var session = Session.Create(portal.Acme.Admin!.Id, template.Id, "xterm-crash", template.DefaultMemoryBytes, template.DefaultCpuMillicores, DateTimeOffset.UtcNow.AddMinutes(-10));
            session.Start("Starting display…", DateTimeOffset.UtcNow.AddMinutes(-10));
            db.Sessions.Add(session);
            await db.SaveChangesAsync();
            id = session.Id;
        }

        var runtime = portal.Workers.GetRequiredService<ISessionRuntime>();
        await runtime.EnsureStartedAsync(await SpecForAsync(id), new Progress<string>(), CancellationToken.None);

        await ReconcileAsync();

        await portal.WaitForStateAsync(id, SessionState.Running);
        Assert.Single(await runtime.ObserveAsync(CancellationToken.None), o => o.SessionId == id && o.Running);
        Assert.Single(Directory.GetDirectories(Path.Combine(portal.DataDirectory, "run")), d => d.EndsWith(id.ToString("D"), StringComparison.Ordinal));
    }

    private async Task<Guid> LaunchRunningAsync()
    {
        Guid id = default;
        await AsAdminAsync(async s => id = (await s.LaunchAsync(portal.Acme.Admin!.Id, "xterm", CancellationToken.None)).Id);
        await portal.WaitForStateAsync(id, SessionState.Running);
        return id;
    }

    private async Task AsAdminAsync(Func<MemberSessions, Task> action)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(portal.Acme.Tenant!);
        await action(scope.ServiceProvider.GetRequiredService<MemberSessions>());
    }

    private async Task Sweep()
    {
        await using var scope = portal.Workers.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IdleSweep>().RunAsync(CancellationToken.None);
    }

    private async Task SweepUntilAsync(Guid id, SessionState state)
    {
        var deadline = DateTime.UtcNow + Patience;
        while ((await portal.SessionAsync(id)).State is SessionState.Running)
        {
            Assert.True(DateTime.UtcNow < deadline, "The sweep never hibernated the session.");
            await Sweep();
            await Task.Delay(250);
        }

        await portal.WaitForStateAsync(id, state);
    }

    private async Task ReconcileAsync()
    {
        await using var scope = portal.Workers.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SessionReconcile>().RunAsync(CancellationToken.None);
    }

    private async Task<TestViewer> ViewerAsync(Guid id)
    {
        var signIn = await portal.ClientFor("acme").SignInAsync("ada@acme.test", Passwords.Good);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("streamspace=", StringComparison.Ordinal)).Split(';')[0];
        var client = portal.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Cookie = cookie;
        var viewer = new TestViewer(await client.ConnectAsync(new Uri($"ws://acme.localhost/sessions/{id}/stream"), CancellationToken.None));
        await viewer.HandshakeAsync(CancellationToken.None);
        return viewer;
    }

    private async Task<SessionSpec> SpecForAsync(Guid sessionId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(portal.Acme.Tenant!);
        var db = scope.ServiceProvider.GetRequiredService<Infrastructure.Data.StreamSpaceDb>();
        var session = await db.Sessions.SingleAsync(s => s.Id == sessionId);
        return await scope.ServiceProvider.GetRequiredService<SessionSpecs>().ForAsync(session, CancellationToken.None);
    }

    /// <summary>The Xvnc processes under the session's sandbox.</summary>
    private List<int> XvncOf(Guid id)
    {
        var root = HostProcesses.RecordedPid(Path.Combine(portal.DataDirectory, "run", id.ToString("D")));
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && TryRead(Path.Combine(dir, "stat")) is { } stat)
            {
                // pid (comm) state ppid …: the comm may hold spaces, so read after its closing parenthesis.
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        bool Under(int pid)
        {
            for (var p = pid; p > 1 && parents.TryGetValue(p, out var parent); p = parent)
            {
                if (p == root)
                {
                    return true;
                }
            }

            return false;
        }

        return [.. parents.Keys.Where(pid => Under(pid) && TryRead($"/proc/{pid}/comm")?.Trim() == "Xvnc")];
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private void KillSandbox(Guid id)
    {
        var pid = HostProcesses.RecordedPid(Path.Combine(portal.DataDirectory, "run", id.ToString("D")));
        System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true);
    }

    private async Task<bool> AuditedAsync(string action, string details)
    {
        await using var db = portal.AcmeDb();
        return await db.AuditEvents.AnyAsync(e => e.Action == action && e.Details == details);
    }
}
