using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

/// <summary>The <c>Session</c> custom resource (<c>stream.space/v1alpha1</c>), as in the README's Quick Demo and our CRD.</summary>
public sealed class SessionResource : IKubernetesObject<V1ObjectMeta>
{
    public const string ResourceKind = "Session";
    public const string Plural = "sessions";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = SessionLabels.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = ResourceKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public SessionResourceSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SessionResourceStatus? Status { get; set; }
}
