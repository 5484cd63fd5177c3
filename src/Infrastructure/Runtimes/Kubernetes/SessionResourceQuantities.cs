using System.Text.Json.Serialization;

namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

/// <summary><c>spec.resources</c>: Kubernetes quantities (<c>2Gi</c>, <c>2000m</c>).</summary>
public sealed class SessionResourceQuantities
{
    [JsonPropertyName("memory")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Memory { get; set; }

    [JsonPropertyName("cpu")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(IntOrStringJsonConverter))]
    public string? Cpu { get; set; }
}
