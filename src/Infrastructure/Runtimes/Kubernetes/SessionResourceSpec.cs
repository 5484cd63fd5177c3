using System.Text.Json.Serialization;

namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

public sealed class SessionResourceSpec
{
    [JsonPropertyName("user")]
    public string User { get; set; } = string.Empty;

    [JsonPropertyName("template")]
    public string Template { get; set; } = string.Empty;

    [JsonPropertyName("resources")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SessionResourceQuantities? Resources { get; set; }
}
