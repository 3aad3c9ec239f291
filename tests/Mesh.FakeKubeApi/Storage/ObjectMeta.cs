using System.Globalization;
using System.Text.Json.Nodes;

namespace Mesh.FakeKubeApi.Storage;

/// <summary>Reads and writes the metadata of a JSON object.</summary>
internal static class ObjectMeta
{
    public static JsonObject Metadata(JsonObject o)
    {
        if (o["metadata"] is JsonObject m) return m;
        var created = new JsonObject();
        o["metadata"] = created;
        return created;
    }

    public static string Name(JsonObject o) => (string?)(o["metadata"] as JsonObject)?["name"] ?? "";

    public static string Namespace(JsonObject o) => (string?)(o["metadata"] as JsonObject)?["namespace"] ?? "";

    public static string? ResourceVersion(JsonObject o) => (string?)(o["metadata"] as JsonObject)?["resourceVersion"];

    public static IReadOnlyDictionary<string, string> Labels(JsonObject o)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if ((o["metadata"] as JsonObject)?["labels"] is JsonObject labels)
        {
            foreach (var (k, v) in labels)
            {
                if (v is JsonValue value && value.TryGetValue<string>(out var s)) result[k] = s;
            }
        }
        return result;
    }

    /// <summary>A JSON number as a long, however it was created (a parsed number or a CLR int).</summary>
    public static long? AsLong(JsonNode? node) =>
        node is JsonValue v && long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The spec-like part of an object: everything but metadata, status and the type fields.</summary>
    public static JsonObject Content(JsonObject o)
    {
        var copy = new JsonObject();
        foreach (var (k, v) in o)
        {
            if (k is "metadata" or "status" or "apiVersion" or "kind") continue;
            copy[k] = v?.DeepClone();
        }
        return copy;
    }

    /// <summary>Equal as the server judges a no-op write: everything but resourceVersion and managedFields.</summary>
    public static bool SameState(JsonObject a, JsonObject b)
    {
        static JsonObject Strip(JsonObject o)
        {
            var c = (JsonObject)o.DeepClone();
            c.Remove("apiVersion");
            c.Remove("kind");
            if (c["metadata"] is JsonObject m)
            {
                m.Remove("resourceVersion");
                m.Remove("managedFields");
            }
            return c;
        }
        return JsonNode.DeepEquals(Strip(a), Strip(b));
    }
}
