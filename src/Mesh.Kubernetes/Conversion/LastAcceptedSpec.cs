using System.Text.Json;
using System.Text.Json.Nodes;
using Mesh.Kubernetes.Objects;

namespace Mesh.Kubernetes.Conversion;

/// <summary>
/// The spec Mesh last accepted for an object, as the status writer records it in the object itself
/// (<c>status.lastAccepted: {generation, spec}</c>, the spec as JSON text), so that every controller replica, including
/// one started after a bad update, keeps the same version in force when a new spec is invalid.
/// </summary>
/// <remarks>
/// The spec is kept as a string, not an object: a merge patch replaces a string whole (an object would be merged
/// into the old one, keeping fields the new spec dropped), and a CRD schema cannot prune fields inside it. It is
/// validated again on every read, like any spec: what the status says is never trusted further than that.
/// </remarks>
public sealed record LastAcceptedSpec(long Generation, string Spec)
{
    public const string Field = "lastAccepted";

    /// <summary>The record in an object's status, or null when there is none or it is not readable.</summary>
    public static LastAcceptedSpec? Read(KubeObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var json = item.Json;
        if (!json.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object) return null;
        if (!status.TryGetProperty(Field, out var last) || last.ValueKind != JsonValueKind.Object) return null;
        if (!last.TryGetProperty("generation", out var g) || !g.TryGetInt64(out var generation)) return null;
        if (!last.TryGetProperty("spec", out var s) || s.ValueKind != JsonValueKind.String) return null;
        return new LastAcceptedSpec(generation, s.GetString()!);
    }

    /// <summary>The spec of an object as JSON text (what is recorded when it is accepted); "{}" when it has none.</summary>
    public static string SpecOf(KubeObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Json.TryGetProperty("spec", out var spec) ? spec.GetRawText() : "{}";
    }

    /// <summary>The object with this spec in place of its own; null when the recorded text is not a JSON object.</summary>
    public KubeObject? ApplyTo(KubeObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        JsonNode? spec;
        try
        {
            spec = JsonNode.Parse(Spec);
        }
        catch (JsonException)
        {
            return null;
        }
        if (spec is not JsonObject) return null;
        var node = JsonNode.Parse(item.ToJsonText())!.AsObject();
        node["spec"] = spec;
        return KubeObject.Parse(node.ToJsonString());
    }

    /// <summary>The record as the status carries it.</summary>
    public JsonObject ToJson() => new() { ["generation"] = Generation, ["spec"] = Spec };
}
