using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;
using StreamSpace.Infrastructure.Runtimes.Kubernetes;

namespace StreamSpace.Workers.Kubernetes;

/// <summary>
/// List-then-watch of one of our custom resources in every namespace: list once, then watch from the list's resourceVersion
/// with bookmarks (which move the version forward on a quiet watch), re-watch when a watch ends, and list again when the
/// server answers 410 Gone because the version is too old.
/// </summary>
public sealed class CustomResourceWatch(IKubernetes client, string plural, ILogger logger)
{
    private static readonly TimeSpan ErrorBackoff = TimeSpan.FromSeconds(2);
    private int _lists;

    /// <summary>How many times the whole collection was listed (1 at start, one more after each 410 Gone).</summary>
    public int Lists => Volatile.Read(ref _lists);

    /// <summary>The resourceVersion the next watch starts from.</summary>
    public string? ResourceVersion { get; private set; }

    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Calls <paramref name="handle"/> for every object listed (as Added) and every watch event, until cancelled.</summary>
    public async Task RunAsync(Func<WatchEventType, JsonElement, CancellationToken, Task> handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (ResourceVersion is null)
                {
                    await ListAsync(handle, cancellationToken);
                }

                if (await WatchAsync(handle, cancellationToken) is WatchEnd.Gone)
                {
                    logger.LogInformation("Watch of {Plural} expired at {ResourceVersion}; listing again", plural, ResourceVersion);
                    ResourceVersion = null;
                }
            }
            catch (HttpOperationException e) when (KubernetesCalls.IsGone(e))
            {
                ResourceVersion = null;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException or JsonException or KubernetesException)
            {
                logger.LogWarning(e, "Watch of {Plural} failed; retrying", plural);
                await Task.Delay(ErrorBackoff, cancellationToken);
            }
        }
    }

    private async Task ListAsync(Func<WatchEventType, JsonElement, CancellationToken, Task> handle, CancellationToken cancellationToken)
    {
        var list = (JsonElement)await client.CustomObjects.ListCustomObjectForAllNamespacesAsync(
            SessionLabels.Group, SessionLabels.Version, plural, cancellationToken: cancellationToken);
        Interlocked.Increment(ref _lists);
        foreach (var item in list.GetProperty("items").EnumerateArray())
        {
            await handle(WatchEventType.Added, item, cancellationToken);
        }

        ResourceVersion = list.GetProperty("metadata").GetProperty("resourceVersion").GetString();
    }

    private async Task<WatchEnd> WatchAsync(Func<WatchEventType, JsonElement, CancellationToken, Task> handle, CancellationToken cancellationToken)
    {
        var gone = false;
        var events = client.CustomObjects.WatchListCustomObjectForAllNamespacesAsync(
            SessionLabels.Group, SessionLabels.Version, plural,
            allowWatchBookmarks: true,
            resourceVersion: ResourceVersion,
            timeoutSeconds: (int)WatchTimeout.TotalSeconds,
            onError: e => gone |= e is KubernetesException { Status.Code: (int)HttpStatusCode.Gone },
            cancellationToken: cancellationToken);
        await foreach (var (type, value) in events.WithCancellation(cancellationToken))
        {
            var element = value is JsonElement json ? json : JsonSerializer.SerializeToElement(value);
            if (element.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("resourceVersion", out var version))
            {
                ResourceVersion = version.GetString();
            }

            if (type != WatchEventType.Bookmark)
            {
                await handle(type, element, cancellationToken);
            }
        }

        return gone ? WatchEnd.Gone : WatchEnd.Ended;
    }

    private enum WatchEnd
    {
        Ended,
        Gone,
    }
}
