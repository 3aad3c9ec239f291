using System.Collections.Immutable;
using System.Text.Json;

namespace Mesh.Kubernetes.Objects;

/// <summary>
/// One API object as the server last sent it, immutable: its metadata read out, and the whole object as JSON
/// (an owned copy, safe to hand to another thread or actor).
/// </summary>
public sealed class KubeObject
{
    private KubeObject(ObjectKey key, string uid, string resourceVersion, long generation,
        ImmutableDictionary<string, string> labels, JsonElement json)
    {
        Key = key;
        Uid = uid;
        ResourceVersion = resourceVersion;
        Generation = generation;
        Labels = labels;
        Json = json;
    }

    public ObjectKey Key { get; }

    public string Namespace => Key.Namespace;

    public string Name => Key.Name;

    public string Uid { get; }

    /// <summary>Opaque to clients by the API's contract; see <see cref="ResourceVersionOrder"/> for how Mesh orders them.</summary>
    public string ResourceVersion { get; }

    /// <summary><c>metadata.generation</c>: bumped by the server on spec changes; 0 when the resource has none.</summary>
    public long Generation { get; }

    public ImmutableDictionary<string, string> Labels { get; }

    public JsonElement Json { get; }

    /// <summary>Reads an object (as a list item or a watch event carries it). The element is cloned.</summary>
    /// <exception cref="FormatException">It is not an object, or its metadata has no name.</exception>
    public static KubeObject FromJson(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object) throw new FormatException($"an API object must be a JSON object, not {json.ValueKind}");
        var owned = json.Clone();
        var meta = owned.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        string Text(string field) =>
            meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()!
                : "";
        var generation = meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("generation", out var g) && g.TryGetInt64(out var n) ? n : 0;
        var labels = ImmutableDictionary<string, string>.Empty;
        if (meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Object)
        {
            var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            foreach (var p in l.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.String) builder[p.Name] = p.Value.GetString()!;
            }
            labels = builder.ToImmutable();
        }
        return new KubeObject(new ObjectKey(Text("namespace"), Text("name")), Text("uid"), Text("resourceVersion"), generation, labels, owned);
    }

    /// <summary>Reads an object from JSON text.</summary>
    public static KubeObject Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return FromJson(document.RootElement);
    }

    /// <summary>The object as JSON text, for the manifest loader and for logs.</summary>
    public string ToJsonText() => Json.GetRawText();

    public override string ToString() => $"{Key} (resourceVersion {ResourceVersion})";
}
