extern alias workers;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Data;
using StreamSpace.Infrastructure.Features.Audit;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Observability;
using StreamSpace.Infrastructure.Tenancy;
using StreamSpace.Tests.Integration.Portal;
using SessionJobs = workers::StreamSpace.Workers.Jobs.SessionJobs;

namespace StreamSpace.Tests.Integration.Sessions;

/// <summary>Drives sessions through a portal's services the way Web and the Hangfire worker do, for job tests without a worker.</summary>
internal static class PortalSessionJobs
{
    /// <summary>Runs a member action in a request-like scope of <paramref name="tenant"/>.</summary>
    public static async Task AsMemberAsync(this PortalFactory portal, Domain.Tenants.Tenant tenant, Func<MemberSessions, Task> action)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenant);
        await action(scope.ServiceProvider.GetRequiredService<MemberSessions>());
    }

    /// <summary>Runs a job the way the Hangfire worker does: a fresh scope, no tenant set, arguments only.</summary>
    public static async Task RunSessionJobAsync(this PortalFactory portal, Guid tenantId, Func<SessionJobs, Guid, Task> job)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var jobs = new SessionJobs(
            services.GetRequiredService<StreamSpaceDb>(),
            services.GetRequiredService<TenantContext>(),
            services.GetRequiredService<ISessionRuntime>(),
            services.GetRequiredService<SessionSpecs>(),
            services.GetRequiredService<AuditTrail>(),
            TimeProvider.System,
            services.GetRequiredService<StreamSpaceMetrics>(),
            services.GetRequiredService<ILogger<SessionJobs>>());
        await job(jobs, tenantId);
    }
}
