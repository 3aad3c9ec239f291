using k8s.Models;

namespace Mesh.Deploy.Manifests.Crds;

/// <summary>
/// Short builders for the structural OpenAPI v3 schemas Kubernetes requires of CRDs: every object lists its
/// properties (unknown ones are pruned) unless it says <c>x-kubernetes-preserve-unknown-fields</c>.
/// </summary>
internal static class Schema
{
    public static V1JSONSchemaProps Object(string? description, params (string Name, V1JSONSchemaProps Schema)[] properties) =>
        new()
        {
            Type = "object",
            Description = description,
            Properties = properties.ToDictionary(p => p.Name, p => p.Schema),
        };

    public static V1JSONSchemaProps Required(this V1JSONSchemaProps schema, params string[] names)
    {
        schema.Required = names;
        return schema;
    }

    /// <summary>Fields this schema does not list are kept rather than pruned (a MeshConfig has many Mesh does not read).</summary>
    public static V1JSONSchemaProps KeepUnknownFields(this V1JSONSchemaProps schema)
    {
        schema.XKubernetesPreserveUnknownFields = true;
        return schema;
    }

    public static V1JSONSchemaProps String(string? description = null) => new() { Type = "string", Description = description };

    public static V1JSONSchemaProps Boolean(string? description = null) => new() { Type = "boolean", Description = description };

    public static V1JSONSchemaProps Integer(string? description = null, long? minimum = null, long? maximum = null) =>
        new() { Type = "integer", Description = description, Minimum = minimum, Maximum = maximum };

    public static V1JSONSchemaProps Port(string? description = null) => Integer(description, 1, 65535);

    public static V1JSONSchemaProps Array(V1JSONSchemaProps items, string? description = null) =>
        new() { Type = "array", Items = items, Description = description };

    /// <summary>An object whose keys are free and whose values are strings (HTTP header name to regex).</summary>
    public static V1JSONSchemaProps StringMap(string? description = null) =>
        new() { Type = "object", AdditionalProperties = String(), Description = description };

    /// <summary>metav1.Condition, as status writers use it.</summary>
    public static V1JSONSchemaProps Condition() =>
        Object(null,
            ("type", String()),
            ("status", String()),
            ("reason", String()),
            ("message", String()),
            ("observedGeneration", Integer()),
            ("lastTransitionTime", new V1JSONSchemaProps { Type = "string", Format = "date-time" }))
        .Required("type", "status");
}
