extern alias workers;

using Docker.DotNet.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Sessions;
using StreamSpace.Domain.Templates;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Runtimes.Containers;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Lifecycle;
using StreamSpace.Tests.Integration.LocalRuntime;
using StreamSpace.Tests.Support;
using Reconcile = workers::StreamSpace.Workers.Jobs.SessionReconcile;

namespace StreamSpace.Tests.Integration.Containers;

/// <summary>
/// An image template's session through the real jobs (Web's launch, the Workers' Hangfire server, drift repair) on a real
/// engine: the runtime recorded on the session, a crashed start finished with one container, a dead container reported.
/// </summary>
public sealed class ContainerLifecycleTests(LifecyclePortal portal) : IClassFixture<LifecyclePortal>, IAsyncLifetime
{
    private const string TemplateName = "test-rfb-container";

    public async Task InitializeAsync()
    {
        await using var db = portal.AcmeDb();
        if (!await db.Templates.AnyAsync(t => t.Name == TemplateName))
        {
            db.Templates.Add(Template.CreateForTenant(portal.Acme.Tenant!.Id, BuiltInTemplates.All[0] with
            {
                Name = TemplateName,
                DisplayName = "Test terminal",
                Image = ContainerFixture.RfbImage,
                LocalCommand = null,
                Protocol = StreamProtocol.Rfb,
                Ports = [new TemplatePort("vnc", 5900)],
            }));
            await db.SaveChangesAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [ContainerEngineFact]
    public async Task A_launch_of_an_image_template_runs_a_container_session_recorded_as_such()
    {
        var id = await LaunchAsync();

        var running = await portal.WaitForStateAsync(id, SessionState.Running, TimeSpan.FromMinutes(1));

        Assert.Equal(SessionRuntimeKind.Container, running.Runtime);
        Assert.StartsWith("tcp:127.0.0.1:", running.Endpoint, StringComparison.Ordinal);
        Assert.Single(await ContainersOfAsync(id));
    }

    [ContainerEngineFact]
    public async Task A_worker_that_died_during_provisioning_leaves_exactly_one_container_after_drift_repair()
    {
        // What a crashed worker leaves: the row says Starting, the container it began runs, no job is left.
        Guid id;
        await using (var db = portal.AcmeDb())
        {
            var template = await db.Templates.SingleAsync(t => t.Name == TemplateName);
            var session = Session.Create(
                portal.Acme.Admin!.Id, template.Id, "ctr-crash", template.DefaultMemoryBytes, template.DefaultCpuMillicores,
                DateTimeOffset.UtcNow.AddMinutes(-10), SessionRuntimeKind.Container);
            session.Start("Starting container…", DateTimeOffset.UtcNow.AddMinutes(-10));
            db.Sessions.Add(session);
            await db.SaveChangesAsync();
            id = session.Id;
        }

        await portal.Workers.GetRequiredService<ISessionRuntime>().EnsureStartedAsync(await SpecForAsync(id), new Progress<string>(), CancellationToken.None);

        await ReconcileAsync();

        await portal.WaitForStateAsync(id, SessionState.Running, TimeSpan.FromMinutes(1));
        Assert.Single(await ContainersOfAsync(id));
    }

    [ContainerEngineFact]
    public async Task A_container_killed_under_a_running_session_fails_it_with_why_and_resume_brings_it_back()
    {
        var id = await LaunchAsync();
        await portal.WaitForStateAsync(id, SessionState.Running, TimeSpan.FromMinutes(1));
        var container = Assert.Single(await ContainersOfAsync(id));

        await Docker().Containers.KillContainerAsync(container.ID, new ContainerKillParameters { Signal = "SIGKILL" });
        await Eventually.TrueAsync(() => ContainersOfAsync(id).GetAwaiter().GetResult().Single().State != "running", "the container stopped");
        await ReconcileAsync();

        var failed = await portal.WaitForStateAsync(id, SessionState.Failed);
        Assert.Contains("killed (signal 9)", failed.FailureReason, StringComparison.Ordinal);
        Assert.Empty(await ContainersOfAsync(id));
    }

    private async Task<Guid> LaunchAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(portal.Acme.Tenant!);
        return (await scope.ServiceProvider.GetRequiredService<MemberSessions>().LaunchAsync(portal.Acme.Admin!.Id, TemplateName, CancellationToken.None)).Id;
    }

    private Docker.DotNet.DockerClient Docker() => portal.Workers.GetRequiredService<ContainerEngine>().Client;

    private async Task<IList<ContainerListResponse>> ContainersOfAsync(Guid sessionId) =>
        await Docker().Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"stream.space/session={sessionId:D}"] = true } },
        });

    private async Task ReconcileAsync()
    {
        await using var scope = portal.Workers.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Reconcile>().RunAsync(CancellationToken.None);
    }

    private async Task<SessionSpec> SpecForAsync(Guid sessionId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(portal.Acme.Tenant!);
        var db = scope.ServiceProvider.GetRequiredService<Infrastructure.Data.StreamSpaceDb>();
        var session = await db.Sessions.SingleAsync(s => s.Id == sessionId);
        return await scope.ServiceProvider.GetRequiredService<SessionSpecs>().ForAsync(session, CancellationToken.None);
    }
}
