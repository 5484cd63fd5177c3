using k8s.Models;

namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

/// <summary>What a session's pod is doing, in the words the viewer shows; a failure ends the launch with its reason.</summary>
public sealed record PodProgress(string Words, bool Ready, string? Failure)
{
    private static readonly string[] PullFailures = ["ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull"];
    private static readonly string[] ConfigFailures = ["CreateContainerConfigError", "CreateContainerError", "RunContainerError"];

    /// <summary>Reads the newest live pod of the session (a Deployment may briefly show an old one terminating).</summary>
    public static PodProgress Of(IEnumerable<V1Pod> pods, string image, string appName)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var pod = pods
            .Where(p => p.Metadata?.DeletionTimestamp is null)
            .OrderByDescending(p => p.Metadata?.CreationTimestamp ?? DateTime.MinValue)
            .FirstOrDefault();
        if (pod is null)
        {
            return new PodProgress("Scheduling…", false, null);
        }

        var conditions = pod.Status?.Conditions ?? [];
        if (conditions.FirstOrDefault(c => c.Type == "PodScheduled") is { Status: "False", Reason: "Unschedulable" } unschedulable)
        {
            return Failed($"No node has room for it: {unschedulable.Message ?? "the cluster cannot schedule it"}.");
        }

        var container = pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == SessionManifests.ContainerName);
        if (container?.State?.Waiting is { } waiting)
        {
            if (PullFailures.Contains(waiting.Reason, StringComparer.Ordinal))
            {
                return Failed($"The image {image} cannot be pulled ({waiting.Reason}): {waiting.Message ?? "the registry refused it"}.");
            }

            if (waiting.Reason == "CrashLoopBackOff")
            {
                var exit = container.LastState?.Terminated;
                return Failed($"{appName} keeps crashing (restarted {container.RestartCount} times"
                    + (exit is null ? ")." : $", last exit code {exit.ExitCode}{(exit.Reason is { } reason ? " " + reason : string.Empty)})."));
            }

            if (ConfigFailures.Contains(waiting.Reason, StringComparer.Ordinal))
            {
                return Failed($"The container cannot be created ({waiting.Reason}): {waiting.Message}.");
            }
        }

        if (conditions.Any(c => c.Type == "Ready" && c.Status == "True"))
        {
            return new PodProgress("Ready", true, null);
        }

        if (container?.State?.Running is not null)
        {
            return new PodProgress($"Starting {appName}…", false, null);
        }

        return string.IsNullOrEmpty(pod.Spec?.NodeName) && !conditions.Any(c => c.Type == "PodScheduled" && c.Status == "True")
            ? new PodProgress("Scheduling…", false, null)
            : new PodProgress($"Pulling image {image}…", false, null);
    }

    private static PodProgress Failed(string reason) => new(reason, false, reason);
}
