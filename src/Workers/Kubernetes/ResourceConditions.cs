using k8s.Models;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;

namespace StreamSpace.Workers.Kubernetes;

/// <summary>How an import answers on the resource itself: a condition <c>kubectl describe</c> shows, for this generation.</summary>
public static class ResourceConditions
{
    public static V1Condition Of(string type, bool ok, string reason, string message, long? generation, DateTimeOffset now) => new()
    {
        Type = type,
        Status = ok ? "True" : "False",
        Reason = reason,
        Message = message,
        ObservedGeneration = generation,
        LastTransitionTime = now.UtcDateTime,
    };

    /// <summary>Whether this generation was already answered (so a status write's own watch event changes nothing).</summary>
    public static bool Answered(SessionResourceStatus? status, string type, long? generation) =>
        status?.Conditions?.Any(c => c.Type == type && c.ObservedGeneration == generation) == true;
}
