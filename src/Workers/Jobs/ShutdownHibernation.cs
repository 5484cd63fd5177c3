using Microsoft.Extensions.Options;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Features.Lifecycle;
using StreamSpace.Infrastructure.Features.Sessions;
using StreamSpace.Infrastructure.Jobs;
using StreamSpace.Infrastructure.Tenancy;

namespace StreamSpace.Workers.Jobs;

/// <summary>
/// With <c>Hibernation:OnShutdown</c>, a stopping Workers process hibernates every session the runtime still runs, with the
/// reason "StreamSpace stopped": nothing keeps running after <c>make run</c> ends, and each session resumes with its files.
/// The work runs inline (the Hangfire server is stopping too); the queued job it also leaves finds the session hibernated.
/// </summary>
public sealed class ShutdownHibernation(
    ISessionRuntime runtime,
    IServiceScopeFactory scopes,
    TenantScope tenants,
    IOptions<HibernationOptions> options,
    ILogger<ShutdownHibernation> logger) : IHostedService
{
    public const string Reason = "StreamSpace stopped";

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.OnShutdown)
        {
            return;
        }

        var running = (await runtime.ObserveAsync(cancellationToken)).Where(o => o.Running).Select(o => o.SessionId).ToList();
        if (running.Count == 0)
        {
            return;
        }

        List<SessionSnapshot> rows;
        await using (var scope = scopes.CreateAsyncScope())
        {
            rows = await scope.ServiceProvider.GetRequiredService<AllTenantsSessions>().ForReconcileAsync(running, cancellationToken);
        }

        var hibernating = rows.Where(row => row.State == SessionState.Running && running.Contains(row.SessionId)).ToList();
        logger.LogInformation("Hibernating {Count} running sessions before stopping", hibernating.Count);
        await Task.WhenAll(hibernating.Select(row => tenants.RunAsync(row.TenantId, async services =>
        {
            try
            {
                if (await services.GetRequiredService<SessionHibernation>().HibernateAsync(row.SessionId, Reason, cancellationToken))
                {
                    await services.GetRequiredService<ISessionJobs>().HibernateAsync(row.TenantId, row.SessionId, cancellationToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Left Hibernating, the next start's reconcile runs its job again.
                logger.LogWarning(ex, "Session {SessionId} could not be hibernated on shutdown", row.SessionId);
            }
        }, cancellationToken)));
    }
}
