using System.Text.Json.Serialization;
using k8s.Models;

namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

/// <summary><c>status</c> of a Session resource: what <c>kubectl get sessions</c> shows.</summary>
public sealed class SessionResourceStatus
{
    /// <summary>The portal's session state (Pending, Starting, Running, Hibernated…) or Refused for an import that was not admitted.</summary>
    [JsonPropertyName("phase")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Phase { get; set; }

    [JsonPropertyName("sessionId")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SessionId { get; set; }

    [JsonPropertyName("url")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Url { get; set; }

    [JsonPropertyName("lastActivity")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? LastActivity { get; set; }

    [JsonPropertyName("message")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; set; }

    [JsonPropertyName("conditions")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IList<V1Condition>? Conditions { get; set; }
}
