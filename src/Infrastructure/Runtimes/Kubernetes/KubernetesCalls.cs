using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

/// <summary>The few rules every call to the API server follows: apply as <c>streamspace</c>, retry conflicts, a missing object is no error.</summary>
public static class KubernetesCalls
{
    private const int ConflictAttempts = 5;

    /// <summary>A server-side apply body; the object must carry <c>apiVersion</c> and <c>kind</c>.</summary>
    public static V1Patch Apply(object desired) => new(KubernetesJson.Serialize(desired), V1Patch.PatchType.ApplyPatch);

    public static V1Patch Merge(object patch) => new(KubernetesJson.Serialize(patch), V1Patch.PatchType.MergePatch);

    public static V1Patch Replicas(int replicas) => Merge(new { spec = new { replicas } });

    /// <summary>Runs <paramref name="call"/> again when the server answers 409 Conflict (someone else changed the object first).</summary>
    public static async Task<T> RetryOnConflictAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (HttpOperationException e) when (IsConflict(e) && attempt < ConflictAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken);
            }
        }
    }

    public static async Task RetryOnConflictAsync(Func<Task> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        await RetryOnConflictAsync(async () => { await call(); return true; }, cancellationToken);
    }

    /// <summary>Creates an object; one that exists already (409 AlreadyExists) is no error.</summary>
    public static async Task CreateUnlessPresentAsync<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            await call();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && e.Response.Content.Contains("AlreadyExists", StringComparison.Ordinal))
        {
            // Made by an earlier run.
        }
    }

    /// <summary>Runs <paramref name="call"/> again while the server answers 403 and <paramref name="patience"/> lasts (a RoleBinding just made).</summary>
    public static async Task<T> RetryWhileForbiddenAsync<T>(Func<Task<T>> call, TimeSpan patience, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var deadline = DateTime.UtcNow + patience;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(100 * attempt, 1000)), cancellationToken);
            }
        }
    }

    /// <summary>Runs a read or delete; a 404 gives <c>default</c>.</summary>
    public static async Task<T?> OrNullAsync<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return default;
        }
    }

    /// <summary>Runs a write to an object that may be gone; false when it was (404).</summary>
    public static async Task<bool> IfFoundAsync(Func<Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return await OrNullAsync(async () => { await call(); return true; });
    }

    /// <summary>Custom object calls answer with a <see cref="JsonElement"/>; read it with the client's own serializer settings.</summary>
    public static T Read<T>(object response) =>
        KubernetesJson.Deserialize<T>(response is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(response));

    public static bool IsConflict(HttpOperationException e) =>
        e?.Response.StatusCode == HttpStatusCode.Conflict && !e.Response.Content.Contains("AlreadyExists", StringComparison.Ordinal);

    public static bool IsGone(HttpOperationException e) => e?.Response.StatusCode == HttpStatusCode.Gone;
}
