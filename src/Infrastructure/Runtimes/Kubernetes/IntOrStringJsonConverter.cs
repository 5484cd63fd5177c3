using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamSpace.Infrastructure.Runtimes.Kubernetes;

/// <summary>Reads a field the CRD declares <c>x-kubernetes-int-or-string</c> (<c>cpu: 2</c> or <c>cpu: 500m</c>) as its text.</summary>
public sealed class IntOrStringJsonConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number
            ? reader.GetDecimal().ToString(CultureInfo.InvariantCulture)
            : reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
