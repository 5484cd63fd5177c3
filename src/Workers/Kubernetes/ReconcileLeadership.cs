using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;

namespace StreamSpace.Workers.Kubernetes;

/// <summary>
/// Runs <c>work</c> only while this process holds the Lease, so several Workers replicas never import the same resource twice.
/// Losing the Lease cancels the work; the loop then campaigns again.
/// </summary>
public sealed class ReconcileLeadership(IKubernetes client, IOptions<KubernetesRuntimeOptions> options, ILogger<ReconcileLeadership> logger)
{
    private volatile bool _leading;

    public bool IsLeader => _leading;

    public string Identity { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    public async Task RunAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var settings = options.Value;
        while (!cancellationToken.IsCancellationRequested)
        {
            var leaseLock = new LeaseLock(client, settings.LeaseNamespace, settings.LeaseName, Identity);
            using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
            {
                LeaseDuration = settings.LeaseDuration,
                RenewDeadline = settings.LeaseRenewDeadline,
                RetryPeriod = settings.LeaseRetryPeriod,
            });
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task running = Task.CompletedTask;
            elector.OnStartedLeading += () =>
            {
                _leading = true;
                logger.LogInformation("{Identity} leads {Lease}: reconciling custom resources", Identity, settings.LeaseName);
                running = Task.Run(() => work(leading.Token), CancellationToken.None);
            };
            elector.OnStoppedLeading += () =>
            {
                _leading = false;
                logger.LogInformation("{Identity} no longer leads {Lease}", Identity, settings.LeaseName);
                leading.Cancel();
            };

            try
            {
                await elector.RunUntilLeadershipLostAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Shutting down.
            }
            catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException)
            {
                logger.LogWarning(e, "Leader election for {Lease} failed; campaigning again", settings.LeaseName);
                await Task.Delay(settings.LeaseRetryPeriod, CancellationToken.None);
            }
            finally
            {
                _leading = false;
                await leading.CancelAsync();
                await running.ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
