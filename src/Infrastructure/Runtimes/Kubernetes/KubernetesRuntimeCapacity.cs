using k8s;
using k8s.Models;
using StreamSpace.Domain.Sessions;

namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

/// <summary>
/// Sessions run on the cluster's nodes, so the capacity is the memory those nodes offer pods (<c>status.allocatable</c>),
/// counting only nodes a session pod can be scheduled on: not cordoned, and without a NoSchedule or NoExecute taint
/// (session pods tolerate none).
/// </summary>
public sealed class KubernetesRuntimeCapacity(IKubernetes client) : IRuntimeCapacity
{
    public async Task<RuntimeCapacity> ReadAsync(CancellationToken cancellationToken)
    {
        var nodes = (await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken)).Items;
        var schedulable = nodes.Where(Schedulable).ToList();
        var memory = schedulable.Sum(n => n.Status?.Allocatable?.TryGetValue("memory", out var quantity) == true ? quantity.ToInt64() : 0);
        return new RuntimeCapacity(memory, $"allocatable memory of {schedulable.Count} schedulable of {nodes.Count} cluster nodes");
    }

    private static bool Schedulable(V1Node node) =>
        node.Spec?.Unschedulable != true
        && node.Spec?.Taints?.Any(t => t.Effect is "NoSchedule" or "NoExecute") != true;
}
