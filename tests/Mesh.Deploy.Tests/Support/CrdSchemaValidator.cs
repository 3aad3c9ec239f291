using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using k8s;
using k8s.Models;

namespace Mesh.Deploy.Tests.Support;

/// <summary>
/// Validates objects against the rendered CRDs with a real JSON Schema validator (JsonSchema.Net). Stricter than the
/// API server on purpose: where Kubernetes would silently prune a field the schema does not list, this reports it, so
/// "accepted" means accepted whole. (The <c>x-kubernetes-*</c> extensions are Kubernetes', not JSON Schema's: an
/// object marked preserve-unknown-fields accepts any field, as on the server.)
/// </summary>
internal sealed class CrdSchemaValidator(IEnumerable<V1CustomResourceDefinition> crds)
{
    private readonly List<V1CustomResourceDefinition> _crds = [.. crds];

    public IReadOnlyList<string> Validate(JsonNode instance)
    {
        var apiVersion = instance["apiVersion"]?.GetValue<string>() ?? "";
        var kind = instance["kind"]?.GetValue<string>() ?? "";
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        var crd = _crds.SingleOrDefault(c => c.Spec.Group == group && c.Spec.Names.Kind == kind);
        if (crd is null) return [$"no CRD for {kind} in {group}"];
        var served = crd.Spec.Versions.SingleOrDefault(v => v.Name == version && v.Served);
        if (served is null) return [$"{crd.Metadata.Name} does not serve {version}"];

        var schema = JsonSchema.FromText(Strict(JsonNode.Parse(KubernetesJson.Serialize(served.Schema.OpenAPIV3Schema))!).ToJsonString());
        using var document = JsonDocument.Parse(instance.ToJsonString());
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(d => d.Errors is not null)
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))];
    }

    /// <summary>Object schemas that list properties accept no others (the server would prune them); extensions dropped.</summary>
    private static JsonNode Strict(JsonNode schema)
    {
        if (schema is JsonObject obj)
        {
            var keepsUnknown = obj["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() is true;
            foreach (var key in obj.Select(kv => kv.Key).Where(k => k.StartsWith("x-kubernetes-", StringComparison.Ordinal)).ToList())
            {
                obj.Remove(key);
            }
            foreach (var child in obj.Select(kv => kv.Value).OfType<JsonNode>().ToList()) Strict(child);
            if (obj["properties"] is JsonObject && !keepsUnknown && obj["additionalProperties"] is null)
            {
                obj["additionalProperties"] = false;
            }
        }
        else if (schema is JsonArray array)
        {
            foreach (var item in array.OfType<JsonNode>()) Strict(item);
        }
        return schema;
    }
}
