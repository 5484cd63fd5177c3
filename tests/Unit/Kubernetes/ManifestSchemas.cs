using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using Json.Schema;
using k8s;
using StreamSpace.Tests.Support;

namespace StreamSpace.Tests.Unit.Kubernetes;

/// <summary>
/// JSON schemas to check manifests against: one generated from the KubernetesClient model of the object's type, and our
/// CRDs' <c>openAPIV3Schema</c>. Both refuse unknown fields, as the API server's strict field validation does.
/// </summary>
internal static class ManifestSchemas
{
    private static readonly JsonSerializerOptions ModelOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectNullableAnnotations = true,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    /// <summary>The schema of a KubernetesClient model; every object it describes has <c>additionalProperties: false</c>.</summary>
    public static JsonSchema ForModel(Type model)
    {
        var schema = ModelOptions.GetJsonSchemaAsNode(model, new JsonSchemaExporterOptions
        {
            TransformSchemaNode = (_, node) =>
            {
                if (node is JsonObject { } schemaObject && schemaObject.ContainsKey("properties"))
                {
                    schemaObject["additionalProperties"] = false;
                }

                return node;
            },
        });
        return JsonSchema.FromText(schema.ToJsonString());
    }

    /// <summary>The <c>openAPIV3Schema</c> of the CRD in <c>ops/helm/streamspace/crds/{file}</c>, strict about unknown fields but in metadata.</summary>
    public static JsonSchema ForCrd(string file)
    {
        var crd = YamlJson.Document(File.ReadAllText(Path.Combine(Repository.Root, "ops", "helm", "streamspace", "crds", file)));
        var schema = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.DeepClone();
        Strict(schema, isMetadata: false);
        return JsonSchema.FromText(schema.ToJsonString());
    }

    public static IReadOnlyList<string> Problems(JsonSchema schema, JsonNode? instance)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var result = schema.Evaluate(JsonSerializer.SerializeToElement(instance), new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))];
    }

    /// <summary>The object as the client sends it to the API server.</summary>
    public static JsonNode Wire(object manifest) => JsonNode.Parse(KubernetesJson.Serialize(manifest))!;

    private static void Strict(JsonNode node, bool isMetadata)
    {
        if (node is not JsonObject schema)
        {
            return;
        }

        // Kubernetes' own keywords (list types, int-or-string) have no JSON Schema meaning; anyOf spells int-or-string out.
        foreach (var extension in schema.Select(p => p.Key).Where(k => k.StartsWith("x-kubernetes-", StringComparison.Ordinal)).ToList())
        {
            schema.Remove(extension);
        }

        foreach (var alternative in schema["anyOf"]?.AsArray() ?? [])
        {
            Strict(alternative!, false);
        }

        if (schema["properties"] is JsonObject properties)
        {
            if (!isMetadata)
            {
                schema["additionalProperties"] = false;
            }

            foreach (var (name, property) in properties)
            {
                Strict(property!, name == "metadata");
            }
        }

        if (schema["items"] is { } items)
        {
            Strict(items, false);
        }
    }
}
