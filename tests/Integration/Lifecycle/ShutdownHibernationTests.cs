using Microsoft.Extensions.DependencyInjection;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Integration.Lifecycle;

/// <summary><c>make run</c>'s Ctrl-C: Workers stopping with <c>Hibernation:OnShutdown</c> leaves no sandbox running.</summary>
public sealed class ShutdownHibernationTests(ShutdownHibernationTests.ShutdownPortal portal) : IClassFixture<ShutdownHibernationTests.ShutdownPortal>
{
    [Fact]
    public async Task Stopping_the_workers_hibernates_running_sessions_and_stops_their_sandboxes()
    {
        Guid id;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(portal.Acme.Tenant!);
            id = (await scope.ServiceProvider.GetRequiredService<MemberSessions>().LaunchAsync(portal.Acme.Admin!.Id, "xterm", CancellationToken.None)).Id;
        }

        await portal.WaitForStateAsync(id, SessionState.Running);
        var uid = portal.Acme.Admin!.LocalUid;
        Assert.NotEmpty(HostProcesses.OwnedBy(uid));

        await portal.StopWorkersAsync();

        var session = await portal.SessionAsync(id);
        Assert.Equal(SessionState.Hibernated, session.State);
        Assert.Equal("StreamSpace stopped", session.HibernateReason);
        Assert.Empty(HostProcesses.OwnedBy(uid));
    }

    public sealed class ShutdownPortal : LifecyclePortal
    {
        protected override IEnumerable<KeyValuePair<string, string?>> WorkersSettings() =>
            [new("Hibernation:OnShutdown", "true")];
    }
}
