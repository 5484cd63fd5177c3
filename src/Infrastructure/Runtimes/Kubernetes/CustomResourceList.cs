using System.Text.Json.Serialization;
using k8s.Models;

namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

/// <summary>A list answer for one of our custom resources (<c>items</c> and the list's resourceVersion).</summary>
public sealed class CustomResourceList<T>
{
    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<T> Items { get; set; } = [];
}
